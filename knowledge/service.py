"""The library's front door: settings → a ready Retriever (index checked, rebuilt when stale)."""

from __future__ import annotations

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.index import ensure, load
from knowledge.retrieve import Retriever


def open_retriever(settings: KnowledgeSettings | None = None, rebuild: bool = True) -> Retriever:
    """Settings → Retriever over the current index; rebuild=False only loads (errors if missing)."""
    settings = settings or KnowledgeSettings()
    embedder = Embedder(settings.model_path)
    index = ensure(settings, embedder) if rebuild else load(settings)
    return Retriever(index, embedder, settings)
