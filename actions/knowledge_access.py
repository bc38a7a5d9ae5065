"""The action server's handle on the knowledge library: one retriever, opened lazily once."""

from __future__ import annotations

import functools

from knowledge.retrieve import Retriever
from knowledge.types import Document


@functools.lru_cache(maxsize=1)
def retriever() -> Retriever:
    """→ the shared Retriever over the current index (never rebuilds: `make index` does)."""
    from knowledge.service import open_retriever

    return open_retriever(rebuild=False, live=True)


def documents() -> dict[str, Document]:
    """→ the current index's documents by doc_id."""
    return retriever().index.by_id
