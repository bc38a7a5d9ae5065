"""The multi-replica lock store (bot/locks.py) against a real Redis: two processes, as two Rasa
replicas, take one conversation's lock 100 times each around a read-modify-write — no update is
lost. (Rasa's own RedisLockStore loses about half of them in the same harness.)"""

import os
import subprocess

import pytest

from server.launcher import ROOT
from tests.e2e.services import redis

pytestmark = pytest.mark.integration
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"


def race(kind: str, port: int, turns: int, *extra: str) -> int:
    out = subprocess.run([str(RASA_PY), str(ROOT / "tests" / "e2e" / "lock_race.py"), kind, str(port), str(turns), *extra],
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return int(out.stdout.strip().splitlines()[-1])


def test_two_replicas_never_hold_one_conversation_at_once():
    with redis() as rd:
        assert race("bot.locks.FifoRedisLockStore", rd["port"], 100) == 200


def test_a_replica_dying_with_the_lock_does_not_block_the_conversation():
    with redis() as rd:
        assert race("bot.locks.FifoRedisLockStore", rd["port"], 5, "crash") == 10  # after ~5 s the dead ticket is skipped
