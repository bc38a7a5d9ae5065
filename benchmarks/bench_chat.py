"""Chat and search latency, on demand: the real stack (launcher) → p50/p95/p99, throughput, errors.

Usage: python benchmarks/bench_chat.py [--turns 200] [--users 1 16] [--seconds 30]
Starts server.launcher on spare ports (its own tracker and record files in a temp folder), warms
it up (first loads excluded), then runs, per concurrency level: Rasa REST turns directly, and the
gateway's /api/chat and /api/search. Each simulated user has its own conversations, 8 turns each.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.load_mix import figures  # noqa: E402
from knowledge.evaluate import load_questions  # noqa: E402
from server.launcher import APP_PY  # noqa: E402

PORTS = {"gateway": 18100, "rasa": 15105, "actions": 15155}
TURNS_PER_CONVERSATION = 8


def start_stack(work: Path, extra_env: dict | None = None, ports: dict[str, int] = PORTS) -> subprocess.Popen:
    """→ the launcher process on `ports`, once it printed its URLs."""
    env = {**os.environ, "TRACKER_DB": str(work / "tracker.db"), "ACTIONS_DB_PATH": str(work / "records.db"),
           "RASA_TELEMETRY_ENABLED": "false", "POLICY_RATE_LIMIT_PER_MINUTE": "1000000", **(extra_env or {})}
    env.update({f"POLICY_{k.upper()}_PORT": str(v) for k, v in ports.items()})
    log = open(work / "stack.log", "w")
    process = subprocess.Popen([str(APP_PY), "-m", "server.launcher"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        text = (work / "stack.log").read_text(errors="replace")
        if "Press Ctrl-C" in text:
            return process
        if process.poll() is not None or "error:" in text:
            raise RuntimeError(f"stack failed to start; see {work / 'stack.log'}")
        time.sleep(1)
    raise RuntimeError("stack did not start in time")


async def user(client: httpx.AsyncClient, kind: str, questions: list[str], until: float, out: list, errors: list) -> None:
    """One simulated user: questions one after another until the deadline, a new conversation every
    TURNS_PER_CONVERSATION turns (a citizen's visit; Rasa replays a conversation's events on every turn)."""
    n = 0
    while time.monotonic() < until:
        if n % TURNS_PER_CONVERSATION == 0:
            sender = f"bench-{uuid.uuid4().hex[:8]}"
        q = questions[n % len(questions)]
        n += 1
        url, body = {
            "rasa": (f"http://127.0.0.1:{PORTS['rasa']}/webhooks/rest/webhook", {"sender": sender, "message": q}),
            "chat": (f"http://127.0.0.1:{PORTS['gateway']}/api/chat", {"sender_id": sender, "message": q}),
            "search": (f"http://127.0.0.1:{PORTS['gateway']}/api/search", {"query": q, "top_k": 5}),
        }[kind]
        started = time.perf_counter()
        try:
            r = await client.post(url, json=body)
            ok = r.status_code == 200
        except httpx.HTTPError:
            ok = False
        (out if ok else errors).append((time.perf_counter() - started) * 1000)


async def level(kind: str, users: int, seconds: float, questions: list[str]) -> dict:
    """One endpoint at one concurrency → figures."""
    latencies, errors = [], []
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=users * 2)) as client:
        until = time.monotonic() + seconds
        await asyncio.gather(*(user(client, kind, questions[i::users] or questions, until, latencies, errors) for i in range(users)))
    return {"endpoint": kind, "users": users} | figures(latencies, len(errors), seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kinds", nargs="+", default=["rasa", "chat", "search"])
    args = parser.parse_args()
    qs = load_questions(ROOT / "benchmarks" / "questions.yaml")
    questions = [c.q for c in qs.cases] + qs.out_of_scope + ["我能领什么补贴", "那需要什么条件", "这个还有效吗", "谢谢"]
    work = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    stack = start_stack(work)
    try:
        asyncio.run(level("chat", 2, 5, questions))  # warm-up: first loads excluded
        print("| endpoint | users | requests | errors | req/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|---|---|")
        for users in args.users:
            for kind in args.kinds:
                r = asyncio.run(level(kind, users, args.seconds, questions))
                print(f"| {r['endpoint']} | {r['users']} | {r['requests']} | {r['errors']} | {r['per_s']} | {r['p50']} | {r['p95']} | {r['p99']} |", flush=True)
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        stack.wait(60)


if __name__ == "__main__":
    main()
