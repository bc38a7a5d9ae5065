"""Knowledge gaps grouped by meaning: gap records (questions the assistant could not answer) → groups with counts,
a per-day trend, the clauses retrieval found for them (what staff may link) and the curation that covers them.

Grouping is agglomerative clustering with complete linkage over cosine distance (scikit-learn): every two
questions of a group are within MAX_DISTANCE of each other, so a group never drifts from 公积金 to 个税 through a
chain of in-between questions (single or average linkage did), and no number of groups has to be guessed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import numpy as np

from knowledge.links import MAX_CHARS, Curator
from knowledge.normalize import clean_query

MAX_DISTANCE = 0.28  # 1 − cosine with m3e-small; docs/design.md "Knowledge gaps" says how it was chosen
EVIDENCE_DEPTH = 3  # clauses kept per question
SHOWN_QUESTIONS = 50  # per group, newest first
_CACHE_LIMIT = 5000
_cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, list[dict]]] = {}  # (index key, text) → vectors, top clauses


def cluster(vectors: np.ndarray, max_distance: float = MAX_DISTANCE) -> list[list[int]]:
    """Unit row vectors → groups of row numbers (each group's rows in input order; groups by first row)."""
    if len(vectors) < 2:
        return [[0]] if len(vectors) else []
    from sklearn.cluster import AgglomerativeClustering  # imported when first needed: not every process groups

    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="complete",
                                     distance_threshold=max_distance).fit(vectors).labels_
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    return list(groups.values())


def report(records: list[dict], retriever, curator: Curator, days: int = 14, today: dt.date | None = None) -> list[dict]:
    """Gap records (actions/gaps.py, newest first) → groups, newest first, each with its questions, counts by kind,
    a trend over the last `days` days, retrieval's best clauses and the curation now covering it."""
    if not records:
        return []
    texts = list(dict.fromkeys(r["text"] for r in records))
    vectors, evidence = _analysed(texts, retriever)
    matches = dict(zip(texts, curator.nearest(vectors, retriever), strict=True))  # links match the cleaned question
    row_of = {t: i for i, t in enumerate(texts)}
    groups = []
    for rows in cluster(vectors):
        members = {texts[i] for i in rows}
        group_records = [r for r in records if r["text"] in members]
        groups.append(_group(group_records, [texts[i] for i in rows], vectors, row_of, evidence, matches, days, today))
    return sorted(groups, key=lambda g: g["newest"], reverse=True)


def _group(records, texts, vectors, row_of, evidence, matches, days, today) -> dict:
    """One cluster's records → its summary for the console."""
    centroid = vectors[[row_of[t] for t in texts]].mean(axis=0)
    label = max(texts, key=lambda t: float(vectors[row_of[t]] @ centroid))
    kinds = Counter(k for r in records for k in r["kinds"])
    covered = Counter(matches[t][0].id for t in texts if matches[t][0] is not None)
    curation_id = covered.most_common(1)[0][0] if covered else None
    return {
        "key": hashlib.sha1("\n".join(sorted(texts)).encode()).hexdigest()[:12],
        "label": label,
        "size": len(records),
        "newest": records[0]["at"],
        "kinds": {k: kinds.get(k, 0) for k in ("refused", "feedback", "handoff")},
        "trend": _trend([r["at"] for r in records], days, today),
        "questions": [{k: r[k] for k in ("text", "at", "kinds", "channel", "clause_ids")} for r in records[:SHOWN_QUESTIONS]],
        "texts": texts,
        "clauses": _clauses([evidence[row_of[t]] for t in texts]),
        "curation_id": curation_id,
    }


def _analysed(texts: list[str], retriever) -> tuple[np.ndarray, list[list[dict]]]:
    """Texts → their unit vectors (cleaned question: for grouping and for curations) and retrieval's top clauses
    (cached per index build: a view re-reads few texts)."""
    key = retriever.index.key
    missing = [t for t in texts if (key, t) not in _cache]
    if missing:
        if len(_cache) + len(missing) > _CACHE_LIMIT:
            _cache.clear()
        vectors = retriever.embedder.encode([clean_query(t, MAX_CHARS) for t in missing])
        for text, vector, result in zip(missing, vectors, retriever.search_many(missing, EVIDENCE_DEPTH), strict=True):
            top = [{"clause_id": h.clause.clause_id, "doc_title": h.doc_title, "path": h.clause.path,
                    "text": h.clause.text, "score": round(h.score, 4)} for h in result.hits]
            _cache[(key, text)] = (vector, top)
    cached = [_cache[(key, t)] for t in texts]
    return np.stack([c[0] for c in cached]), [c[1] for c in cached]


def _clauses(evidence: list[list[dict]], keep: int = 5) -> list[dict]:
    """The questions' top clauses → the clauses found most often (then scoring best), with how often and how well."""
    seen: dict[str, dict] = {}
    for top in evidence:
        for hit in top:
            entry = seen.setdefault(hit["clause_id"], {**hit, "questions": 0})
            entry["questions"] += 1
            entry["score"] = max(entry["score"], hit["score"])
    return sorted(seen.values(), key=lambda e: (-e["questions"], -e["score"]))[:keep]


def _trend(times: list[float], days: int, today: dt.date | None) -> list[dict]:
    """Record times → one count per day for the last `days` days, oldest first (local time)."""
    today = today or dt.date.today()
    counts = Counter(dt.date.fromtimestamp(t) for t in times)
    return [{"day": (today - dt.timedelta(days=n)).isoformat(), "count": counts.get(today - dt.timedelta(days=n), 0)}
            for n in range(days - 1, -1, -1)]
