"""Versions: documents with the same title → the latest in force, the earlier ones 已被修订 and pointing to it."""

from __future__ import annotations

from knowledge.normalize import match_key
from knowledge.types import AMENDED, Document


def title_key(title: str) -> str:
    """'中华人民共和国职业教育法' and '职业教育法' → one key (width folded, no spaces, no state prefix)."""
    return match_key(title).removeprefix("中华人民共和国")


def same_version(a: Document, b: Document) -> bool:
    """True when two parsed documents are one text: same title and same version date."""
    return title_key(a.title) == title_key(b.title) and a.version_date == b.version_date


def by_title(documents: list[Document]) -> dict[str, list[Document]]:
    """Documents → their versions grouped by title_key, in the documents' order."""
    groups: dict[str, list[Document]] = {}
    for doc in documents:
        groups.setdefault(title_key(doc.title), []).append(doc)
    return groups


def link_versions(documents: list[Document], fixed: set[str]) -> dict[str, list[str]]:
    """Mark earlier versions 已被修订 (superseded_by the latest) unless a sidecar fixed their status.

    → warnings per source for groups whose versions cannot be ordered (a version without dates)."""
    warnings: dict[str, list[str]] = {}
    for docs in by_title(documents).values():
        if len(docs) < 2:
            continue
        undated = [d for d in docs if not d.version_date]
        for d in undated:
            warnings.setdefault(d.source, []).append(
                f"{len(docs)} versions of 「{d.title}」 but this one has no date: add dates to its sidecar to order them")
        if undated:
            continue
        current = max(docs, key=lambda d: d.version_date)
        for d in docs:
            if d is not current and d.doc_id not in fixed:
                d.status, d.superseded_by = AMENDED, current.doc_id
    return warnings


def in_force_successor(doc_id: str, documents: list[Document]) -> Document | None:
    """A document id → the document in force that replaces it (following superseded_by), None when none."""
    by_id = {d.doc_id: d for d in documents}
    doc, seen = by_id.get(doc_id), set()
    while doc is not None and doc.superseded_by and doc.doc_id not in seen:
        seen.add(doc.doc_id)
        doc = by_id.get(doc.superseded_by)
    return doc if doc is not None and doc.doc_id != doc_id and doc.in_force else None
