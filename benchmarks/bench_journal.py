"""What the conversation journal and the live-handoff lookup add to every turn, on demand.

Usage: python benchmarks/bench_journal.py [--turns 200]
Per turn the gateway reads the conversation's handoff state once and writes the turn's journal rows in
one transaction (server/conversation.py); this times exactly that against a fresh SQLite file in a
temporary folder (WAL mode, as in production) and prints the median and 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    turns = parser.parse_args().turns
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ACTIONS_DB_PATH"] = str(Path(folder) / "assistant.db")
        from actions import journal, store

        store.ensure_schema()
        times = []
        for i in range(turns):
            sender = f"web:bench-{i % 20}"
            started = time.perf_counter()
            store.handoff_state(sender)
            journal.record_many(sender, "web", [("citizen", "创业担保贷款怎么申请", {}),
                                                ("bot", "答复", {"citations": ["c1"], "outcome": "answered", "latency_ms": 12.0})])
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"{turns} turns: median {statistics.median(times):.2f} ms, p95 {times[int(0.95 * len(times)) - 1]:.2f} ms per turn")


if __name__ == "__main__":
    main()
