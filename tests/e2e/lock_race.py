"""Run in the Rasa environment: two processes, as two Rasa replicas would, each take a conversation's
lock `turns` times and do a read-modify-write of a Redis counter inside it → prints the counter.

Usage: lock_race.py <bot.locks.FifoRedisLockStore | redis> <redis port> <turns> [crash]
A correct lock store ends with 2 × turns; one that lets two holders in at once loses increments.
With `crash`, a third process dies while holding the lock first: the others must still finish.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import time

from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig


def store(kind: str, port: int):
    return LockStore.create(EndpointConfig(type=kind, url="127.0.0.1", port=port, db=1))


def replica(kind: str, port: int, turns: int) -> None:
    lock_store = store(kind, port)

    async def run() -> None:
        for _ in range(turns):
            async with lock_store.lock("race-conversation", wait_time_in_seconds=0.001):
                value = int(lock_store.red.get("race-counter") or 0)
                time.sleep(0.002)  # the turn's work, between reading and saving the tracker
                lock_store.red.set("race-counter", value + 1)

    asyncio.run(run())


def crash_while_holding(kind: str, port: int) -> None:
    lock_store = store(kind, port)

    async def run() -> None:
        async with lock_store.lock("race-conversation"):
            os._exit(1)  # a replica killed mid-turn: it never releases

    asyncio.run(run())


def main() -> None:
    kind, port, turns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store(kind, port).red.delete("race-counter")
    if sys.argv[4:] == ["crash"]:
        crashed = multiprocessing.Process(target=crash_while_holding, args=(kind, port))
        crashed.start()
        crashed.join()
    workers = [multiprocessing.Process(target=replica, args=(kind, port, turns)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(int(store(kind, port).red.get("race-counter") or 0))


if __name__ == "__main__":
    main()
