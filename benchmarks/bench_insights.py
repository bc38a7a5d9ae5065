"""Review and dashboard at hotline scale, on demand: a synthetic journal → how long each staff view's query takes.

Usage: python benchmarks/bench_insights.py [--conversations 20000] [--days 30]
Writes a records file in a temp folder (each conversation: 2–4 turns on one day and channel, outcomes and
reply times drawn with a fixed seed, every tenth conversation rated), then times the dashboard over the whole
range, one search page (no filter, and 👎 only), a transcript and the CSV export of one day, and reports the
process's peak memory.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTCOMES = ["answered"] * 6 + ["refused"] * 2 + ["clarify", "handoff", "smalltalk"]
QUESTIONS = ["高校毕业生能领什么补贴", "失业金怎么领", "创业担保贷款额度是多少", "公积金怎么提取", "转人工", "谢谢"]


def seed(conversations: int, days: int, first: date) -> int:
    """Write the synthetic journal → the number of journal rows."""
    from actions.insights import _epoch
    from actions.store import connect

    rnd = random.Random(13)
    turns, ratings = [], []
    for n in range(conversations):
        channel = rnd.choice(["web", "web", "wechat", "wecom"])
        sender = f"{channel}:bench-{n}"
        at = _epoch(first + timedelta(days=rnd.randrange(days))) + rnd.uniform(0, 86_000)
        for _ in range(rnd.randint(2, 4)):
            outcome = rnd.choice(OUTCOMES)
            latency = rnd.lognormvariate(6.5, 0.6)
            cites = '["gf2017-28.p4.i11.s10"]' if outcome == "answered" else "[]"
            turns.append((sender, channel, at, "citizen", rnd.choice(QUESTIONS), "[]", None, None))
            turns.append((sender, channel, at + latency / 1000, "bot", "答复", cites, outcome, latency))
            at += rnd.uniform(20, 120)
        if n % 10 == 0:
            ratings.append((sender, at, rnd.choice(["good", "bad"]), "[]", "问题"))
    with closing(connect()) as conn, conn:
        conn.executemany("INSERT INTO turns (sender_id, channel, at, role, text, citations, outcome, latency_ms) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", turns)
        conn.executemany("INSERT INTO feedback (sender_id, created, rating, clause_ids, question) VALUES (?, ?, ?, ?, ?)", ratings)
    return len(turns)


def timed(label: str, function, *args, **kwargs):
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    print(f"{label:<42} {(time.perf_counter() - started) * 1000:8.0f} ms wall {(time.process_time() - cpu) * 1000:6.0f} ms CPU")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ACTIONS_DB_PATH"] = str(Path(folder) / "records.db")
        from actions import insights

        first = date(2026, 10, 1)
        last = first + timedelta(days=args.days - 1)
        rows = seed(args.conversations, args.days, first)
        print(f"journal: {rows} rows, {args.conversations} conversations over {args.days} days")
        board = timed(f"dashboard, {args.days} days, all channels", insights.dashboard, first, last)
        print(f"  → {board['totals'][-1]['questions']} questions, answered share {board['totals'][-1]['answered_share']}")
        total, _ = timed("search, first page of 50, no filter", insights.search, insights.Filters(first, last))
        timed("search, first page of 50, disliked only", insights.search, insights.Filters(first, last, outcome="disliked"))
        timed("search, text 公积金, one channel", insights.search, insights.Filters(first, last, channel="wechat", text="公积金"))
        timed("transcript of one conversation", insights.transcript, "web:bench-0")
        csv_text = timed("CSV export, one day", insights.export_csv, insights.Filters(first, first))
        print(f"  → {total} conversations matched; one day's CSV {len(csv_text.encode()) / 1e6:.1f} MB")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
