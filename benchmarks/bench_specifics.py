"""Honesty about specifics, on demand: questions asking for an amount, a duration, a procedure or a place
(benchmarks/specifics.yaml, written apart from the code) → the share answered as the documents allow.

Usage: python benchmarks/bench_specifics.py [--show]
Runs retrieval and answer composition (knowledge/answer.py) without Rasa; prints accuracy per expected
behaviour and per question type, and with --show every miss.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import yaml

from knowledge.answer import compose
from knowledge.config import KnowledgeSettings
from knowledge.service import open_retriever

CASES = Path(__file__).with_name("specifics.yaml")


def behaviour(reply) -> str:
    """An Answer → 'answered', 'not_specified' or 'refused'."""
    if not reply.answerable:
        return "refused"
    return "answered" if reply.specific else "not_specified"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every question answered otherwise than expected")
    args = parser.parse_args()
    retriever = open_retriever(KnowledgeSettings())
    dates = {d.doc_number: d.dates for d in retriever.index.documents}
    cases = yaml.safe_load(CASES.read_text("utf-8"))["cases"]
    total, good, by_kind, by_set = Counter(), Counter(), Counter(), Counter()
    for case in cases:
        reply = compose(case["q"], retriever.search(case["q"], 5), dates)
        got, want = behaviour(reply), case["expect"]
        ok = got == want or (want == "either" and got in ("not_specified", "refused"))
        total[want] += 1
        good[want] += ok
        by_kind[(reply.kind or "general", ok)] += 1
        by_set[(case.get("set", 1), ok)] += 1
        if args.show and not ok:
            print(f"MISS want={want} got={got} kind={reply.kind}: {case['q']}\n     {reply.text.splitlines()[0]}")
    for want in ("answered", "not_specified", "either", "refused"):
        print(f"{want:14s} {good[want]:3d}/{total[want]:3d}")
    print(f"{'all':14s} {sum(good.values()):3d}/{sum(total.values()):3d} = {sum(good.values()) / sum(total.values()):.0%}")
    for n in sorted({n for n, _ in by_set}):
        print(f"set {n}: {by_set[(n, True)]}/{by_set[(n, True)] + by_set[(n, False)]}")
    kinds = sorted({k for k, _ in by_kind})
    print("by question type (right/all): " + ", ".join(f"{k} {by_kind[(k, True)]}/{by_kind[(k, True)] + by_kind[(k, False)]}" for k in kinds))


if __name__ == "__main__":
    main()
