"""The library's front door: settings → a ready Retriever (index checked, rebuilt when stale)."""

from __future__ import annotations

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.index import ensure, load
from knowledge.live import LiveRetriever
from knowledge.retrieve import Retriever


def open_retriever(settings: KnowledgeSettings | None = None, rebuild: bool = True, live: bool = False) -> Retriever:
    """Settings → Retriever over the current index; rebuild=False only loads (errors if missing);
    live=True follows later re-indexing (servers use this)."""
    settings = settings or KnowledgeSettings()
    embedder = Embedder(settings.model_path, threads=settings.search_threads)
    index = ensure(settings, embedder) if rebuild else load(settings)
    retriever = Retriever(index, embedder, settings)
    return LiveRetriever(retriever, settings, embedder) if live else retriever
