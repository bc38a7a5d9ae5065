"""Honest labels for the bulk distractor benchmark (benchmarks/bulk_labels.yaml) and the figures they give.

The question sets call "out of scope" what the 9-document LIBRARY does not state; beside the ~700 bulk
regulations some of those questions are answered (工伤保险条例 第十八条 for 「申请工伤认定要准备哪些材料」), and a
bulk regulation may state an in-scope question's rule too. The labels, made from the texts alone, say which
bulk documents (file stems) and articles (第X条) state the answer; `labelled_figures` scores with them:
in-scope cases also accept a labelled article (hit) or document (doc@1); out-of-scope questions answered by
a bulk regulation count as in scope (a hit cites a labelled article, a refusal is a miss); the rest must be
refused.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.config import ROOT
from knowledge.errors import SourceError
from knowledge.evaluate import K, Questions, _hit_rank, _rate, hit_names

LABELS = ROOT / "benchmarks" / "bulk_labels.yaml"
NONE = "none"  # answered_by: none — no bulk regulation states the answer


@dataclass(frozen=True)
class Source:
    """One acceptable bulk document (file stem) and its answering articles (empty: any clause of it)."""

    doc: str
    art: tuple[str, ...]


@dataclass(frozen=True)
class Label:
    """One labelled question: its set file name, text, the bulk sources stating its answer, and why."""

    set: str
    q: str
    sources: tuple[Source, ...]  # empty = answered by no bulk regulation
    reason: str
    in_scope: bool  # True: an in-scope case (also_answered_by); False: an out-of-scope question (answered_by)


def _sources(path: Path, n: int, value) -> tuple[Source, ...]:
    """The answered_by / also_answered_by value of entry n → Sources; malformed → SourceError naming it."""
    if value == NONE:
        return ()
    if not isinstance(value, list) or not value:
        raise SourceError(str(path), None, f"entry {n}: answered_by must be '{NONE}' or a list of {{doc, art}}")
    out = []
    for s in value:
        if not isinstance(s, dict) or not s.get("doc") or not isinstance(s.get("art", []), list):
            raise SourceError(str(path), None, f"entry {n}: each source needs doc (a bulk file stem) and art (a list)")
        out.append(Source(str(s["doc"]), tuple(str(a) for a in s.get("art") or [])))
    return tuple(out)


def load_labels(path: Path = LABELS) -> list[Label]:
    """bulk_labels.yaml → Labels; a malformed entry raises SourceError naming the file and entry."""
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SourceError(str(path), None, str(exc)) from exc
    labels = []
    for section, key, in_scope in [("out_of_scope", "answered_by", False), ("in_scope", "also_answered_by", True)]:
        for n, e in enumerate(data.get(section) or [], start=1):
            if not isinstance(e, dict) or not all(e.get(k) for k in ["set", "q", key, "reason"]):
                raise SourceError(str(path), None, f"{section} entry {n}: needs set, q, {key} and reason")
            sources = _sources(path, n, e[key])
            if in_scope and not sources:
                raise SourceError(str(path), None, f"{section} entry {n}: also_answered_by needs at least one source")
            labels.append(Label(str(e["set"]), str(e["q"]), sources, str(e["reason"]), in_scope))
    return labels


def labelled_search(retriever):
    """The real retriever → search(q) → (answerable, [(text, document names, source file stem, article)…]).

    Memoised: the old figures (evaluate_system) and the labelled ones read the same results."""

    @functools.cache
    def search(q: str):
        r = retriever.search(q, K)
        return r.answerable, [(h.clause.text, hit_names(retriever.index, h), Path(h.clause.source).stem,
                               h.clause.path[-1] if h.clause.path else "") for h in r.hits]

    return search


def plain(search):
    """A labelled_search function → an evaluate_system search function (text, names)."""
    return lambda q: (search(q)[0], [(t, names) for t, names, _, _ in search(q)[1]])


def _cites(results, sources: tuple[Source, ...], k: int, any_article: bool = False) -> bool:
    """Results → whether one of the first k is from a labelled document (at a labelled article unless any_article)."""
    return any(stem == s.doc and (any_article or not s.art or art in s.art) for _, _, stem, art in results[:k] for s in sources)


def _rank(results, phrases: list[str], sources: tuple[Source, ...]) -> int | None:
    """First rank holding an expected phrase or citing a labelled bulk article; None = neither in the results."""
    for rank, result in enumerate(results, start=1):
        if _hit_rank([result[0]], phrases) or _cites([result], sources, 1):
            return rank
    return None


def labelled_figures(name: str, search, questions: Questions, labels: dict[str, Label]) -> dict:
    """A labelled_search function, a question set and its labels (by question) → one row of labelled figures."""
    ranks, docs = [], []
    for case in questions.cases:
        _, results = search(case.q)
        also = labels[case.q].sources if case.q in labels else ()
        ranks.append(_rank(results, case.any, also))
        docs.append(bool(results) and (not case.doc or bool(results[0][1] & set(case.doc)) or _cites(results, also, 1, any_article=True)))
    answered_bulk = [labels[q] for q in questions.out_of_scope if q in labels and labels[q].sources]
    bulk = [(search(lab.q)[0], search(lab.q)[1], lab.sources) for lab in answered_bulk]
    refused = [not search(q)[0] for q in questions.out_of_scope if not (q in labels and labels[q].sources)]
    hit = lambda k: [bool(a) and _cites(res, src, k) for a, res, src in bulk]  # noqa: E731
    both = [r == 1 for r in ranks] + hit(1)
    return {
        "system": name, "in-scope n": len(ranks), "hit@1": _rate([r == 1 for r in ranks]),
        "hit@3": _rate([r is not None and r <= 3 for r in ranks]), "doc@1": _rate(docs),
        "bulk-answered n": len(bulk), "answered": _rate([bool(a) for a, _, _ in bulk]),
        "cited@1": _rate(hit(1)), "cited@3": _rate(hit(3)),
        "hit@1 incl. bulk-answered": _rate(both),
        "OOS n": len(refused), "OOS refused": _rate(refused),
    }
