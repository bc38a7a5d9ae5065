"""Talking to the dialogue manager: (sender, text) → bot messages {"text", "citations", "buttons"}.

Rasa's REST channel returns text and `custom` payloads as separate items; they are merged
back into one message per bot utterance here, so every channel renders the same structure.
"""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass, field

import httpx

from server.breaker import Breaker


@dataclass
class BotMessage:
    text: str
    citations: list[dict] = field(default_factory=list)
    buttons: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # answerable, handoff, …

    def to_dict(self) -> dict:
        return {"text": self.text, "citations": self.citations, "buttons": self.buttons, **self.extra}


class DialogueUnavailable(Exception):
    """The dialogue manager could not be reached or answered with an error."""


class RasaDialogue:
    """Rasa REST channel client over one or more replicas (comma-separated URLs), behind breakers.

    A conversation goes to the replica its sender id hashes to, so its turns stay together; when
    that replica cannot be reached it goes to the next one. Replicas share the tracker store and a
    lock store (bot/endpoints.postgres.yml), so any of them can continue any conversation.

    Each replica and the action server have a circuit breaker (server/breaker.py). A turn that times
    out trips its replica's breaker and has the action server checked (a hung action server makes
    Rasa hang, while Rasa itself still answers its probe); while the action server's breaker or every
    replica's is open, turns fail at once with DialogueUnavailable and are answered from retrieval.
    The turn timeout depends on the channel: `timeouts` maps the sender id's channel prefix to seconds.
    """

    def __init__(self, base_urls: str, timeout_s: float, client: httpx.AsyncClient | None = None, *,
                 actions_url: str | None = None, timeouts: dict[str, float] | None = None,
                 cooldown_s: float = 5.0, probe_timeout_s: float = 2.0):
        self.base_urls = replica_urls(base_urls)
        self.client = client or httpx.AsyncClient(timeout=timeout_s)
        self.timeout_s, self.timeouts, self.probe_timeout_s = timeout_s, timeouts or {}, probe_timeout_s
        names = ["rasa"] if len(self.base_urls) == 1 else [f"rasa-{i + 1}" for i in range(len(self.base_urls))]
        self.breakers = {base: Breaker(name, self._rasa_probe(base), cooldown_s) for base, name in zip(self.base_urls, names)}
        self.actions_url = actions_url.rstrip("/") if actions_url else None
        self.actions_breaker = Breaker("actions", self._actions_answers, cooldown_s) if actions_url else None
        self._checks: set[asyncio.Task] = set()

    def replicas_for(self, sender_id: str) -> list[str]:
        """→ the replica URLs in the order this conversation tries them."""
        start = zlib.crc32(sender_id.encode()) % len(self.base_urls)
        return self.base_urls[start:] + self.base_urls[:start]

    def breaker_states(self) -> dict[str, dict]:
        """→ {dependency: its breaker's state} for /readyz."""
        return {b.name: b.state() for b in self._all_breakers()}

    def _all_breakers(self) -> list[Breaker]:
        return [*self.breakers.values(), *([self.actions_breaker] if self.actions_breaker else [])]

    async def reply(self, sender_id: str, text: str, metadata: dict | None = None) -> list[BotMessage]:
        """One user message (and its metadata, e.g. the page's region) → the bot's messages (empty when paused)."""
        timeout = self.timeouts.get(sender_id.split(":", 1)[0], self.timeout_s)
        body = {"sender": sender_id, "message": text} | ({"metadata": metadata} if metadata else {})
        messages = merge(await self._post(sender_id, "/webhooks/rest/webhook", body, timeout))
        if not messages:
            self._check_actions()  # paused, or an action failed: Rasa says nothing in both cases
        return messages

    async def _post(self, sender_id: str, path: str, body: dict, timeout_s: float | None = None):
        """POST to the conversation's replica, the next one only when it could not be connected to."""
        if self.actions_breaker and self.actions_breaker.is_open:
            raise DialogueUnavailable("action server not answering (breaker open)")
        error: Exception | str = "every replica's breaker is open"
        for base in self.replicas_for(sender_id):
            breaker = self.breakers[base]
            if breaker.is_open:
                continue
            try:
                response = await self.client.post(f"{base}{path}", json=body, timeout=timeout_s or self.timeout_s)
                response.raise_for_status()
                return response.json()
            except httpx.ConnectError as exc:  # never delivered: safe to try another replica
                breaker.trip(f"connection failed: {exc}")
                error = exc
            except httpx.TimeoutException as exc:  # maybe delivered: never sent twice
                breaker.trip(f"no answer within {timeout_s or self.timeout_s:.1f} s")
                self._check_actions()
                raise DialogueUnavailable(f"{base}: timeout") from exc
            except (httpx.HTTPError, ValueError) as exc:
                raise DialogueUnavailable(f"{base}: {exc}") from exc
        raise DialogueUnavailable(f"no replica reachable: {error}")

    def _rasa_probe(self, base: str):
        """→ a probe that reads a fixed probe conversation: Rasa's HTTP loop and its tracker store answer."""
        async def probe() -> bool:
            response = await self.client.get(f"{base}/conversations/{PROBE_SENDER}/tracker",
                                             params={"include_events": "NONE"}, timeout=self.probe_timeout_s)
            return response.status_code == 200
        return probe

    async def _actions_answers(self) -> bool:
        response = await self.client.get(f"{self.actions_url}/health", timeout=self.probe_timeout_s)
        return response.status_code == 200

    def _check_actions(self) -> None:
        """In the background: trip the action server's breaker if it does not answer its health check."""
        if not self.actions_breaker or self.actions_breaker.is_open:
            return

        async def check() -> None:
            if not await self.actions_breaker.answers():
                self.actions_breaker.trip("no answer to /health")

        task = asyncio.get_running_loop().create_task(check())
        self._checks.add(task)
        task.add_done_callback(self._checks.discard)

    async def resume(self, sender_id: str) -> None:
        """Un-pause a conversation after staff have handled it (Rasa's `resume` event)."""
        await self._post(sender_id, f"/conversations/{sender_id}/tracker/events", {"event": "resume"})

    async def close(self) -> None:
        for breaker in self._all_breakers():
            await breaker.close()
        await self.client.aclose()


PROBE_SENDER = "breaker-probe"  # one fixed conversation (one event) however often and long Rasa is probed


def replica_urls(setting: str) -> list[str]:
    """POLICY_RASA_URL ("http://a:5005,http://b:5005") → the replica base URLs."""
    return [u.strip().rstrip("/") for u in setting.split(",") if u.strip()]


def merge(items: list[dict]) -> list[BotMessage]:
    """Rasa REST items ({text}|{custom}|{buttons}) → one BotMessage per utterance."""
    messages: list[BotMessage] = []
    for item in items:
        custom = item.get("custom")
        if isinstance(custom, dict) and "text" in custom:
            if messages and messages[-1].text == custom["text"] and not messages[-1].citations:
                messages.pop()  # the plain-text twin of this payload
            extra = {k: v for k, v in custom.items() if k not in ("text", "citations", "buttons")}
            messages.append(BotMessage(custom["text"], custom.get("citations") or [], custom.get("buttons") or [], extra))
        elif item.get("text"):
            messages.append(BotMessage(item["text"], [], item.get("buttons") or []))
    return messages
