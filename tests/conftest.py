"""Shared fixtures: the real sources, and one real index built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.config import ROOT, KnowledgeSettings

SOURCES = ROOT / "data" / "policies"
OFFICIAL = SOURCES / "yuefu-2017-101-official.md"
SCRAPE = SOURCES / "yuefu-2017-101-web-scrape.txt"
LAWS = SOURCES  # the laws ship beside the notice, unmodified


@pytest.fixture(autouse=True)
def _isolated_index(monkeypatch, tmp_path):
    """Every test that builds from the environment writes into its own temporary index."""
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(tmp_path / "index"))


@pytest.fixture(scope="session")
def embedder():
    from knowledge.embed import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory, embedder) -> KnowledgeSettings:
    """Settings whose index dir holds a real index of the shipped sources (built once)."""
    from knowledge.index import build

    settings = KnowledgeSettings(index_dir=tmp_path_factory.mktemp("index"))
    build(settings, embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def retriever(built_settings, embedder):
    from knowledge.index import load
    from knowledge.retrieve import Retriever

    return Retriever(load(built_settings), embedder, built_settings)


@pytest.fixture(scope="session")
def knowledge(built_settings, retriever):
    """Point the action server's retriever at the session's real index (same objects, no reload)."""
    from actions import knowledge_access

    knowledge_access.retriever.cache_clear()
    original = knowledge_access.retriever
    knowledge_access.retriever = lambda: retriever  # type: ignore[assignment]
    for module in ("actions.policy", "actions.followup", "actions.benefits"):
        __import__(module, fromlist=["x"]).retriever = knowledge_access.retriever
    yield retriever
    knowledge_access.retriever = original


def copy_sources(tmp_path: Path, *files: Path) -> Path:
    """Copy source files into a fresh folder → the folder."""
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    return folder
