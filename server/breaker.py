"""Circuit breakers for the gateway's dependencies: a hang or refusal → skip it for a while, probe it
in the background, and take it back as soon as it answers.

closed ──trip (timeout, refused connection)──► open ──probe answers──► closed
While open, callers skip the dependency at once (the turn is answered from retrieval in
milliseconds instead of waiting for another timeout). The first probe runs after `cooldown_s`, then
one every `probe_every_s` until one succeeds; no citizen's turn is ever used as the trial call.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable

from server.metrics import BREAKER_OPEN, BREAKER_TRIPS

log = logging.getLogger(__name__)

Probe = Callable[[], Awaitable[bool]]  # → True when the dependency answers properly


class Breaker:
    """One dependency's breaker; `probe` decides when an open breaker closes."""

    def __init__(self, name: str, probe: Probe, cooldown_s: float, probe_every_s: float = 1.0):
        self.name, self.probe, self.cooldown_s, self.probe_every_s = name, probe, cooldown_s, probe_every_s
        self.opened_at: float | None = None
        self.reason = ""
        self._prober: asyncio.Task | None = None
        BREAKER_OPEN.labels(name).set(0)

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def trip(self, reason: str) -> None:
        """A failure seen by a caller → open (no-op when already open) and start probing."""
        if self.is_open:
            return
        self.opened_at, self.reason = time.monotonic(), reason
        BREAKER_OPEN.labels(self.name).set(1)
        BREAKER_TRIPS.labels(self.name).inc()
        log.warning("%s breaker open (%s): turns go to retrieval; probing again in %.0f s", self.name, reason, self.cooldown_s)
        self._prober = asyncio.get_running_loop().create_task(self._probe_until_closed(), name=f"probe {self.name}")

    def state(self) -> dict:
        """→ {"state": "closed"} or {"state": "open", "open_s", "reason"} for /readyz."""
        if not self.is_open:
            return {"state": "closed"}
        return {"state": "open", "open_s": round(time.monotonic() - self.opened_at, 1), "reason": self.reason}

    async def _probe_until_closed(self) -> None:
        await asyncio.sleep(self.cooldown_s)
        while not await self.answers():
            await asyncio.sleep(self.probe_every_s)
        log.warning("%s breaker closed after %.1f s: it answers again", self.name, time.monotonic() - self.opened_at)
        self.opened_at, self.reason, self._prober = None, "", None
        BREAKER_OPEN.labels(self.name).set(0)

    async def answers(self) -> bool:
        """→ whether the probe succeeds now (an exception counts as no)."""
        try:
            return await self.probe()
        except Exception as exc:  # a probe that raises is a dependency that does not answer
            log.debug("%s probe failed: %s", self.name, exc)
            return False

    async def close(self) -> None:
        """Stop probing (application shutdown)."""
        if self._prober:
            self._prober.cancel()
            await asyncio.gather(self._prober, return_exceptions=True)
