"""The action server's handle on the knowledge library: one retriever, opened lazily once."""

from __future__ import annotations

import functools

from knowledge.retrieve import Retriever


@functools.lru_cache(maxsize=1)
def retriever() -> Retriever:
    """→ the shared Retriever over the current index (never rebuilds: `make index` does)."""
    from knowledge.service import open_retriever

    return open_retriever(rebuild=False, live=True)


def doc_dates(doc_number: str) -> dict[str, str]:
    """A 文号 → its dates (成文/印发/发布)."""
    for doc in retriever().index.documents:
        if doc.doc_number == doc_number:
            return doc.dates
    return {}
