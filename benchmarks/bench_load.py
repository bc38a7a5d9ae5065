"""Sustained mixed load, on demand: the real stack (launcher) under chat + search + WeChat users for
10 minutes → per-endpoint p50/p95/p99, throughput, errors, and every process's resident memory
sampled over the run with its trend (MB per minute).

Usage: python benchmarks/bench_load.py [--seconds 600] [--chat 10] [--search 4] [--wechat 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_chat import PORTS, start_stack  # noqa: E402
from benchmarks.load_mix import run_mix  # noqa: E402

WECHAT_TOKEN = "load-test-token"


def group_rss_mb(pgid: int) -> dict[str, float]:
    """Every process of the launcher's process group → {name: resident MB}."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            rss = next(int(line.split()[1]) for line in (stat.parent / "status").read_text().splitlines() if line.startswith("VmRSS"))
        except (OSError, StopIteration, IndexError, ValueError):
            continue
        out[_name(cmd)] = out.get(_name(cmd), 0) + rss / 1024
    return out


def _name(cmd: str) -> str:
    for key, name in (("rasa_sdk", "actions"), ("actions.serve", "actions"), ("rasa run", "rasa"), ("uvicorn", "gateway"), ("server.launcher", "launcher")):
        if key in cmd:
            return name
    return cmd[:30]


def sample(pgid: int, every_s: float, stop: threading.Event, samples: list) -> None:
    """Append (seconds since start, {name: MB}) every `every_s` until stopped."""
    started = time.monotonic()
    while not stop.wait(every_s):
        samples.append((time.monotonic() - started, group_rss_mb(pgid)))


def trend(samples: list, name: str) -> float:
    """Least-squares slope of one process's RSS → MB per minute (second half of the run: after warm-up)."""
    points = [(t / 60, s[name]) for t, s in samples[len(samples) // 2:] if name in s]
    if len(points) < 2:
        return float("nan")
    mx, my = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    var = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / var if var else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--chat", type=int, default=10)
    parser.add_argument("--search", type=int, default=4)
    parser.add_argument("--wechat", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    stack = start_stack(work, {"POLICY_WECHAT_TOKEN": WECHAT_TOKEN, "POLICY_WECHAT_APP_ID": "wx-load"})
    base = f"http://127.0.0.1:{PORTS['gateway']}"
    stop, samples = threading.Event(), []
    try:
        asyncio.run(run_mix(base, {"chat": 2, "search": 1, "wechat": 1}, 10, WECHAT_TOKEN))  # warm-up
        samples.append((0.0, group_rss_mb(stack.pid)))
        sampler = threading.Thread(target=sample, args=(stack.pid, 10, stop, samples), daemon=True)
        sampler.start()
        result = asyncio.run(run_mix(base, {"chat": args.chat, "search": args.search, "wechat": args.wechat}, args.seconds, WECHAT_TOKEN))
        stop.set()
        sampler.join()
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        stack.wait(60)
    report(result, samples, args.seconds)


def report(result: dict, samples: list, seconds: float) -> None:
    """Print the endpoint table and the memory table."""
    print(f"\n{seconds:.0f} s, {sum(r['users'] for r in result.values())} users\n")
    print("| endpoint | users | requests | errors | req/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|---|---|")
    for kind, r in result.items():
        print(f"| {kind} | {r['users']} | {r['requests']} | {r['errors']} | {r['per_s']} | {r['p50']} | {r['p95']} | {r['p99']} |")
    names = sorted({n for _, s in samples for n in s})
    print("\n| process | RSS start MB | RSS middle MB | RSS end MB | trend, 2nd half MB/min |\n|---|---|---|---|---|")
    for n in names:
        at = lambda i, n=n: f"{samples[i][1].get(n, float('nan')):.0f}"  # noqa: E731
        print(f"| {n} | {at(0)} | {at(len(samples) // 2)} | {at(-1)} | {trend(samples, n):+.2f} |")


if __name__ == "__main__":
    main()
