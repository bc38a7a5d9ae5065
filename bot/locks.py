"""Rasa-side lock store for several Rasa replicas: a first-come-first-served ticket lock per
conversation in Redis, each step one atomic Lua script.

Rasa 3.6's RedisLockStore reads the lock, changes it in Python and writes it back; two replicas
taking a ticket at the same moment can get the same number, process one conversation at the same
time and lose a turn (tests/e2e/test_multi_replica.py caught it; RasaHQ/rasa#11256 tried a fix
and was reverted). Here a ticket is an atomic INCR, and a ticket's owner keeps an `alive` key
fresh while it waits and works: a crashed owner's key expires and its turn is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncGenerator

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore

ALIVE_MS = 5_000  # a ticket whose owner stopped refreshing for this long is skipped
REFRESH_S = 1.0
POLL_S = 0.02
KEEP_S = 86_400  # counters of idle conversations expire after a day

TAKE = """
local t = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SET', ARGV[1] .. t, 1, 'PX', ARGV[3])
return t
"""
TRY = """
local t = tonumber(ARGV[1])
local served = tonumber(redis.call('GET', KEYS[1]) or '0')
while served + 1 < t and redis.call('EXISTS', ARGV[2] .. (served + 1)) == 0 do
  served = served + 1
end
redis.call('SET', KEYS[1], served, 'EX', ARGV[3])
if served + 1 == t then return 1 end
return 0
"""
DONE = """
local t = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') < t then redis.call('SET', KEYS[1], t, 'EX', ARGV[3]) end
redis.call('DEL', ARGV[2] .. t)
return 1
"""


class FifoRedisLockStore(RedisLockStore):
    """Lock store (endpoints: `type: bot.locks.FifoRedisLockStore`, url, port, db, password)."""

    def __init__(self, endpoint_config=None, **kwargs) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)
        self._take, self._try, self._done = (self.red.register_script(s) for s in (TAKE, TRY, DONE))

    @contextlib.asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[None, None]:
        """Hold the conversation's lock: wait for every earlier ticket, then run the body alone."""
        base = f"{self.key_prefix}{conversation_id}"
        keys = {"next": f"{base}:next", "served": f"{base}:served", "alive": f"{base}:alive:"}
        ticket = int(self._take(keys=[keys["next"]], args=[keys["alive"], KEEP_S, ALIVE_MS]))
        keeper = asyncio.create_task(self._keep_alive(f"{keys['alive']}{ticket}", lock_lifetime))
        try:
            while not int(self._try(keys=[keys["served"]], args=[ticket, keys["alive"], KEEP_S])):
                await asyncio.sleep(min(POLL_S, wait_time_in_seconds))
            yield None
        finally:
            keeper.cancel()
            self._done(keys=[keys["served"]], args=[ticket, keys["alive"], KEEP_S])

    async def _keep_alive(self, key: str, lifetime_s: float) -> None:
        """Refresh the ticket's alive key until the lock lifetime is spent (then others may skip it)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + lifetime_s
        while loop.time() < deadline:
            self.red.pexpire(key, ALIVE_MS)
            await asyncio.sleep(REFRESH_S)
