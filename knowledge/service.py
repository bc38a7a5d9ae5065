"""The library's front door: settings → a ready Retriever (index checked, rebuilt when stale)."""

from __future__ import annotations

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.index import ensure, load
from knowledge.live import LiveRetriever
from knowledge.retrieve import Retriever


def open_retriever(settings: KnowledgeSettings | None = None, rebuild: bool = True, live: bool = False) -> Retriever:
    """Settings → Retriever over the current index; rebuild=False only loads (errors if missing);
    live=True follows later re-indexing and, with a shared document library, its builds (servers use this)."""
    settings = settings or KnowledgeSettings()
    embedder = Embedder(settings.model_path, threads=settings.search_threads)
    follow = None
    if live and settings.library_database_url:
        from knowledge.library.follow import Follower

        follow = Follower(settings)
        follow()  # a replica starting after a publish serves the library's build from its first request
    index = ensure(settings, embedder) if rebuild else load(settings)
    retriever = Retriever(index, embedder, settings)
    return LiveRetriever(retriever, settings, embedder, follow=follow).poll() if live else retriever
