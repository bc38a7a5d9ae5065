"""Evaluation: a questions file → retrieval quality figures for this system and two naive baselines.

Questions file format (see benchmarks/questions.yaml):
    cases: [{q: question, any: [phrase, …], doc: [文号, …]}, …]   out_of_scope: [question, …]
A result is a hit when its text contains one of the phrases (whitespace-insensitive).
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from knowledge.errors import SourceError
from knowledge.layouts.notice import DOC_NUMBER
from knowledge.sources import read_text, source_files

K = 5


@dataclass
class Case:
    q: str
    any: list[str]
    doc: list[str]


@dataclass
class Questions:
    cases: list[Case]
    out_of_scope: list[str]


@dataclass
class Figures:
    """One system's figures over a question set."""

    name: str
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank of first hit, None = miss
    doc_ok: list[bool] = field(default_factory=list)
    answered_in_scope: list[bool] = field(default_factory=list)
    refused_oos: list[bool] = field(default_factory=list)
    max_cite: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    def row(self) -> dict:
        n = len(self.ranks) or 1
        hit = lambda k: sum(r is not None and r <= k for r in self.ranks) / n  # noqa: E731
        lat = sorted(self.latencies_ms) or [0.0]
        return {
            "system": self.name, "hit@1": hit(1), "hit@3": hit(3), "hit@5": hit(5),
            "MRR": sum(1 / r for r in self.ranks if r) / n, "doc@1": sum(self.doc_ok) / n,
            "answered": _rate(self.answered_in_scope), "OOS refused": _rate(self.refused_oos),
            "max cite": self.max_cite, "p50 ms": statistics.median(lat), "p95 ms": lat[int(0.95 * (len(lat) - 1))],
        }


def _rate(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def load_questions(path: Path) -> Questions:
    """A questions YAML file → Questions; a malformed entry raises SourceError naming it."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SourceError(str(path), getattr(getattr(exc, "problem_mark", None), "line", -1) + 1 or None, str(exc)) from exc
    cases = []
    for n, c in enumerate(data.get("cases") or [], start=1):
        if not isinstance(c, dict) or not c.get("q") or not c.get("any"):
            raise SourceError(str(path), None, f"case {n}: needs q and any")
        cases.append(Case(str(c["q"]), [str(a) for a in c["any"]], [str(d) for d in c.get("doc") or []]))
    return Questions(cases, [str(q) for q in data.get("out_of_scope") or []])


def _hit_rank(texts: list[str], phrases: list[str]) -> int | None:
    keys = [re.sub(r"\s+", "", p) for p in phrases]
    for rank, text in enumerate(texts, start=1):
        flat = re.sub(r"\s+", "", text)
        if any(k in flat for k in keys):
            return rank
    return None


def evaluate_system(name: str, search, questions: Questions) -> Figures:
    """search(q) → (answerable|None, [(text, doc_number)…]) over a question set → Figures."""
    fig = Figures(name)
    for case in questions.cases:
        started = time.perf_counter()
        answerable, results = search(case.q)
        fig.latencies_ms.append((time.perf_counter() - started) * 1000)
        fig.ranks.append(_hit_rank([t for t, _ in results], case.any))
        fig.doc_ok.append(bool(results) and (not case.doc or results[0][1] in case.doc))
        fig.max_cite = max([fig.max_cite] + [len(t) for t, _ in results])
        if answerable is not None:
            fig.answered_in_scope.append(answerable)
    for q in questions.out_of_scope:
        answerable, _ = search(q)
        if answerable is not None:
            fig.refused_oos.append(not answerable)
    return fig


def ours(retriever):
    """The real retriever as an evaluate_system search function."""

    def search(q: str):
        r = retriever.search(q, K)
        return r.answerable, [(h.clause.text, h.clause.doc_number) for h in r.hits]

    return search


def _raw_units(sources_dir: Path, splitter) -> list[tuple[str, str]]:
    """Every source file cut naively by splitter → (text, 文号 of the document it sits in)."""
    units = []
    for path in source_files(sources_dir):
        current = ""
        for piece in splitter(read_text(path)):
            numbers = DOC_NUMBER.findall(piece)
            if numbers and re.fullmatch(r"\s*#*\s*" + re.escape(numbers[0]) + r"\s*", piece):
                current = numbers[0]
            current = current or (numbers[0] if numbers else "")
            if piece.strip():
                units.append((piece.strip(), current))
    return units


def bm25_paragraphs(sources_dir: Path):
    """Naive baseline 1: BM25 (plain jieba, no dictionary) over raw blank-line paragraphs."""
    import bm25s
    import jieba

    jieba.setLogLevel(60)
    units = _raw_units(sources_dir, lambda t: re.split(r"\n\s*\n|\n(?=\S)", t))
    tokenize = lambda s: [t for t in jieba.lcut(s) if t.strip()] or ["∅"]  # noqa: E731
    bm25 = bm25s.BM25()
    bm25.index([tokenize(u) for u, _ in units], show_progress=False)

    def search(q: str):
        tokens = [t for t in tokenize(q) if t in bm25.vocab_dict]
        scores = bm25.get_scores(tokens) if tokens else np.zeros(len(units))
        return None, [units[i] for i in np.argsort(-scores)[:K]]

    return search


def dense_sentences(sources_dir: Path, embedder):
    """Naive baseline 2: m3e-small cosine over raw sentences cut at 。, no cleaning."""
    units = _raw_units(sources_dir, lambda t: re.split(r"(?<=。)", t))
    vectors = embedder.encode([u for u, _ in units])

    def search(q: str):
        scores = vectors @ embedder.encode([q])[0]
        return None, [units[i] for i in np.argsort(-scores)[:K]]

    return search


def table(rows: list[dict]) -> str:
    """Figure rows → a Markdown table."""
    cols = list(rows[0])
    fmt = lambda v: "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))  # noqa: E731
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)
