"""Soak, on demand: the real stack (launcher) under a steady, realistic load for an hour → every
process's resident memory over time (a PNG curve), its slope over the last half of the run, and the
per-endpoint figures.

Usage: python benchmarks/bench_soak.py [--minutes 60] [--out benchmarks/soak]
The load is people, not saturation: 4 chat users, 1 staff search user and 1 WeChat user, each
waiting a few seconds (±50 %) between messages as someone reading the answer does. The verdict per
process: flat when the slope over the last half is ≤ 0.2 MB/min.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_chat import start_stack  # noqa: E402
from benchmarks.bench_load import WECHAT_TOKEN, group_rss_mb, sample, trend  # noqa: E402
from benchmarks.load_mix import run_mix  # noqa: E402

PORTS = {"gateway": 8300, "rasa": 8305, "actions": 8355}
MIX = {"chat": 4, "search": 1, "wechat": 1}
THINK_S = {"chat": 4.0, "search": 6.0, "wechat": 8.0}
FLAT_MB_PER_MIN = 0.2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--every", type=float, default=30, help="seconds between memory samples")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "soak")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    stack = start_stack(work, {"POLICY_WECHAT_TOKEN": WECHAT_TOKEN, "POLICY_WECHAT_APP_ID": "wx-soak"}, PORTS)
    base = f"http://127.0.0.1:{PORTS['gateway']}"
    stop, samples = threading.Event(), []
    try:
        samples.append((0.0, group_rss_mb(stack.pid)))
        sampler = threading.Thread(target=sample, args=(stack.pid, args.every, stop, samples), daemon=True)
        sampler.start()
        result = asyncio.run(run_mix(base, MIX, args.minutes * 60, WECHAT_TOKEN, THINK_S))
        stop.set()
        sampler.join()
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        stack.wait(60)
    (args.out / "samples.json").write_text(json.dumps(samples), "utf-8")
    table = report(result, samples, args.minutes, commit)
    (args.out / "figures.md").write_text(table, "utf-8")
    plot(samples, args.out / "rss.png")
    print(table)


def report(result: dict, samples: list, minutes: float, commit: str) -> str:
    """→ the endpoint table and the memory table (slope over the last half) as Markdown; `commit` is
    the code the stack started with."""
    lines = [f"Soak: {minutes:.0f} min at commit {commit}, mix {MIX}, think time {THINK_S} s (±50 %)\n",
             "| endpoint | users | requests | errors | req/s | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {k} | {r['users']} | {r['requests']} | {r['errors']} | {r['per_s']} | {r['p50']} | {r['p95']} | {r['p99']} |"
              for k, r in result.items()]
    lines += ["", "| process | RSS start MB | RSS middle MB | RSS end MB | slope, last half MB/min | verdict |", "|---|---|---|---|---|---|"]
    for name in sorted({n for _, s in samples for n in s}):
        at = lambda i, name=name: samples[i][1].get(name, float("nan"))  # noqa: E731
        slope = trend(samples, name)
        verdict = "flat" if abs(slope) <= FLAT_MB_PER_MIN else "grows"
        lines.append(f"| {name} | {at(0):.0f} | {at(len(samples) // 2):.0f} | {at(-1):.0f} | {slope:+.3f} | {verdict} |")
    return "\n".join(lines) + "\n"


def plot(samples: list, path: Path) -> None:
    """Samples → a PNG with one RSS line per process over minutes."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    names = sorted({n for _, s in samples for n in s})
    fig, axes = plt.subplots(len(names), 1, figsize=(9, 2.2 * len(names)), sharex=True, squeeze=False)
    for ax, name in zip(axes[:, 0], names):  # one panel each: its own scale shows a slow growth
        points = [(t / 60, s[name]) for t, s in samples if name in s]
        ax.plot([p[0] for p in points], [p[1] for p in points])
        ax.set_title(f"{name}: {trend(samples, name):+.3f} MB/min over the last half", fontsize=10)
        ax.set_ylabel("RSS, MB")
        ax.ticklabel_format(axis="y", useOffset=False)
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlabel("minutes under load (4 chat, 1 search, 1 WeChat user with think time)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    main()
