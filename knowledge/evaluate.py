"""Evaluation: a questions file → retrieval quality figures for this system and two naive baselines.

Questions file format (see benchmarks/questions.yaml, benchmarks/laws_eval.yaml):
    cases: [{q: question, any: [phrase, …], doc: [文号 | title | title@YEAR, …], art: [第X条, …]}, …]
    out_of_scope: [question, …]
A result is a hit when its text contains one of the phrases (whitespace-insensitive); its document
is attributed correctly when one of the document's names (document_names) is in `doc`.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from knowledge.config import ROOT
from knowledge.errors import SourceError
from knowledge.layouts.notice import DOC_NUMBER
from knowledge.sources import read_text, source_files

K = 5
DEFAULT_SETS = [ROOT / "benchmarks" / "questions.yaml", ROOT.parent / "shared" / "dev" / "questions.yaml",
                ROOT / "benchmarks" / "laws_tune.yaml", ROOT / "benchmarks" / "laws_tune_colloquial.yaml",
                ROOT / "benchmarks" / "laws_tune_nearmiss.yaml", ROOT / "benchmarks" / "laws_eval.yaml", ROOT / "benchmarks" / "laws_nearmiss.yaml"]
_HISTORY = re.compile(r"^（[^\n]*?\d{4}年[^\n]*）", re.M)  # a law's bracketed adoption/revision line


@dataclass
class Case:
    q: str
    any: list[str]
    doc: list[str]
    art: list[str] = field(default_factory=list)  # the answering articles (第X条), for laws


@dataclass
class Questions:
    cases: list[Case]
    out_of_scope: list[str]


@dataclass
class Figures:
    """One system's figures over a question set."""

    name: str
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank of first hit, None = miss
    top: list[str] = field(default_factory=list)  # the first result's text per case
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
        cases.append(Case(str(c["q"]), [str(a) for a in c["any"]], [str(d) for d in c.get("doc") or []],
                          [str(a) for a in c.get("art") or []]))
    return Questions(cases, [str(q) for q in data.get("out_of_scope") or []])


def _hit_rank(texts: list[str], phrases: list[str]) -> int | None:
    keys = [re.sub(r"\s+", "", p) for p in phrases]
    for rank, text in enumerate(texts, start=1):
        flat = re.sub(r"\s+", "", text)
        if any(k in flat for k in keys):
            return rank
    return None


def document_names(title: str, doc_number: str = "", version_date: str = "") -> set[str]:
    """A document's title, 文号 and version date (YYYY-MM-DD) → the names a question set may accept it by."""
    return {title, doc_number, f"{title}@{version_date[:4]}" if version_date else ""} - {""}


def file_names(text: str) -> set[str]:
    """A law's raw text → its names (title from the first line, version year from the history line)."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    history = _HISTORY.search(text[:600])
    years = re.findall(r"(\d{4})年", history.group(0)) if history else []
    return document_names(title, "", f"{max(years)}-" if years else "")


def evaluate_system(name: str, search, questions: Questions) -> Figures:
    """search(q) → (answerable|None, [(text, document names)…]) over a question set → Figures."""
    fig = Figures(name)
    for case in questions.cases:
        started = time.perf_counter()
        answerable, results = search(case.q)
        fig.latencies_ms.append((time.perf_counter() - started) * 1000)
        fig.ranks.append(_hit_rank([t for t, _ in results], case.any))
        fig.top.append(results[0][0] if results else "")
        fig.doc_ok.append(bool(results) and (not case.doc or bool(results[0][1] & set(case.doc))))
        fig.max_cite = max([fig.max_cite] + [len(t) for t, _ in results])
        if answerable is not None:
            fig.answered_in_scope.append(answerable)
    for q in questions.out_of_scope:
        answerable, _ = search(q)
        if answerable is not None:
            fig.refused_oos.append(not answerable)
    return fig


def misses(fig: Figures, questions: Questions) -> list[str]:
    """One system's figures → a line per question it got wrong (not hit@1, wrong document, refused or answered)."""
    lines = []
    for i, case in enumerate(questions.cases):
        wrong = [w for w, bad in [(f"rank {fig.ranks[i]}", fig.ranks[i] != 1), ("doc", not fig.doc_ok[i]),
                                  ("refused", fig.answered_in_scope and not fig.answered_in_scope[i])] if bad]
        if wrong:
            lines.append(f"  MISS [{', '.join(wrong)}] {case.q} → {fig.top[i][:60]}")
    lines += [f"  ANSWERED out of scope: {q}" for q, refused in zip(questions.out_of_scope, fig.refused_oos) if not refused]
    return lines


def hit_names(index, hit) -> set[str]:
    """An index and one of its search hits → the names a question set may accept the hit's document by."""
    doc = index.by_id.get(hit.clause.doc_id)
    return document_names(hit.doc_title, hit.clause.doc_number, doc.version_date if doc else "")


def ours(retriever):
    """The real retriever as an evaluate_system search function."""

    def search(q: str):
        r = retriever.search(q, K)
        return r.answerable, [(h.clause.text, hit_names(retriever.index, h)) for h in r.hits]

    return search


def _raw_units(sources_dir: Path, splitter) -> list[tuple[str, set[str]]]:
    """Every source file cut naively by splitter → (text, names of the document it sits in).

    A file with 文号 is a notice: a piece belongs to the last 文号 seen; any other file is one law."""
    units = []
    for path in source_files(sources_dir):
        text = read_text(path)
        current = set() if DOC_NUMBER.search(text) else file_names(text)
        for piece in splitter(text):
            numbers = DOC_NUMBER.findall(piece)
            if numbers and re.fullmatch(r"\s*#*\s*" + re.escape(numbers[0]) + r"\s*", piece):
                current = {numbers[0]}
            current = current or ({numbers[0]} if numbers else set())
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
