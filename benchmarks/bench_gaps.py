"""Knowledge gaps, on demand: the real model and index → what curations add to a citizen's question, and how long
the gap view takes to group N refused questions (first view: nothing cached; second: cached).

Usage: python benchmarks/bench_gaps.py [--records 500] [--curations 50]
Records and curations are written to a temporary records file (ACTIONS_DB_PATH); questions are the acceptance
set's, varied with a number so each is a new text.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUESTIONS = [q for qs in yaml.safe_load((ROOT / "tests/integration/gap_questions.yaml").read_text("utf-8")).values() for q in qs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--curations", type=int, default=50)
    args = parser.parse_args()
    os.environ["ACTIONS_DB_PATH"] = str(Path(tempfile.mkdtemp()) / "assistant.db")
    from actions import curation, gaps, journal
    from knowledge.gaps import report
    from knowledge.service import open_retriever

    retriever = open_retriever(rebuild=False)
    retriever.warm_up()
    asks = ["失业保险金怎么领", "创业担保贷款怎么申请", "公积金可以取出来装修吗", "高校毕业生有什么补贴"] * 10
    plain = _per_question(lambda q: retriever.search(q, 5), asks)
    for n in range(args.curations):
        curation.create("uncovered", [f"{QUESTIONS[n % len(QUESTIONS)]}（{n}）"], "bench", pointer="请拨打 12345。")
    curator = curation.curator()
    curated = _per_question(lambda q: curator.apply(retriever.search(q, 5), retriever), asks)
    print(f"search {plain:.1f} ms/question; with {args.curations} curations applied {curated:.1f} ms/question")

    now = time.time()
    for n in range(args.records):
        sender, at = f"web:b{n}", now - n * 60
        journal.record(sender, "web", "citizen", f"{QUESTIONS[n % len(QUESTIONS)]}，第{n}次", at=at)
        journal.record(sender, "web", "bot", "……", outcome="refused", at=at + 1)
    for label in ("first view", "second view"):
        started = time.perf_counter()
        groups = report(gaps.records(0), retriever, curator)
        print(f"{label}: {args.records} records → {len(groups)} groups in {time.perf_counter() - started:.2f} s")


def _per_question(ask, questions: list[str]) -> float:
    """→ median milliseconds per question."""
    times = []
    for q in questions:
        started = time.perf_counter()
        ask(q)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
