"""Fit the answerable rule: questions file(s) → coverage/OOV weights and threshold.

Usage: python benchmarks/calibrate.py benchmarks/questions.yaml [more.yaml …]
Chooses the weights that answer the most in-scope questions while refusing every
out-of-scope one, with the threshold a margin above the highest out-of-scope confidence.
Copy the printed constants into knowledge/retrieve.py.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.evaluate import load_questions
from knowledge.index import ensure
from knowledge.retrieve import Retriever, confidence

MARGIN = 0.005


def main(paths: list[str]) -> None:
    settings = KnowledgeSettings()
    embedder = Embedder(settings.model_path)
    retriever = Retriever(ensure(settings, embedder), embedder, settings)
    inside, outside = [], []
    for path in paths:
        questions = load_questions(Path(path))
        inside += [r.evidence for r in retriever.search_many([c.q for c in questions.cases])]
        outside += [r.evidence for r in retriever.search_many(questions.out_of_scope)]
    best = None
    for cw, ow in itertools.product([x / 100 for x in range(0, 41, 2)], repeat=2):
        threshold = max(confidence(e, cw, ow) for e in outside) + MARGIN
        answered = sum(confidence(e, cw, ow) >= threshold for e in inside) / len(inside)
        if best is None or answered > best[0]:
            best = (answered, cw, ow, threshold)
    answered, cw, ow, threshold = best
    print(f"in-scope answered {answered:.3f} with every one of {len(outside)} out-of-scope refused")
    print(f"COVERAGE_WEIGHT = {cw:.2f}\nOOV_WEIGHT = {ow:.2f}\nANSWERABLE_THRESHOLD = {threshold:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["benchmarks/questions.yaml"])
