"""Shared fixtures: the real sources, and one real index built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from knowledge.config import ROOT, KnowledgeSettings

SOURCES = ROOT / "data" / "policies"
OFFICIAL = SOURCES / "yuefu-2017-101-official.md"
SCRAPE = SOURCES / "yuefu-2017-101-web-scrape.txt"
LAWS = SOURCES  # the laws ship beside the notice, unmodified


@pytest.fixture(autouse=True)
def _isolated_index(monkeypatch, tmp_path):
    """Every test that builds from the environment writes into its own temporary index and records file
    (the gateway opens the records at start-up)."""
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "assistant.db"))


TIERS = ("unit", "model", "stack", "browser")
MODEL_FIXTURES = {"embedder"}  # every real-model fixture depends on it
STACK_FIXTURES = {"rasa_model", "rasa_stack", "gateway"}
BROWSER_FIXTURES = {"browser", "page", "chromium"}


def tier_of(item: pytest.Item) -> str:
    """A collected test → its cost tier: browser > stack (servers) > model (real embedding model) > unit."""
    names = set(getattr(item, "fixturenames", ()))
    explicit = [t for t in TIERS if item.get_closest_marker(t)]
    if explicit:
        return explicit[-1]
    if names & BROWSER_FIXTURES or item.path.name == "test_pages.py":  # its header checks share the page module
        return "browser"
    if names & STACK_FIXTURES or "/e2e/" in f"/{item.nodeid}":
        return "stack"
    if names & MODEL_FIXTURES:
        return "model"
    return "unit"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its tier, so `pytest -m unit` runs the fast tier alone; run whole modules cheapest
    tier first, so a fresh clone's Rasa training (started in the background, tests/e2e/conftest.py) overlaps them."""
    rank: dict[str, int] = {}
    for item in items:
        tier = tier_of(item)
        item.add_marker(getattr(pytest.mark, tier))
        module = item.nodeid.split("::")[0]
        rank[module] = max(rank.get(module, 0), TIERS.index(tier))
    items.sort(key=lambda item: rank[item.nodeid.split("::")[0]])  # stable: a module's own order is kept


# Property tests (tests/gateway/test_schema_fuzz.py) take their example count from a profile: `pytest -m unit` loads
# "unit" (fast feedback), every other run — `make test` included — "deep"; `--hypothesis-profile=NAME` overrides.
settings.register_profile("unit", max_examples=8, deadline=None, derandomize=True, database=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("deep", settings.get_profile("unit"), max_examples=40)


MEMORY_DISK, MEMORY_DISK_MIN_FREE = Path("/dev/shm"), 2 << 30


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("hypothesis_profile", None):
        settings.load_profile("unit" if config.getoption("markexpr") == "unit" else "deep")
    # Temporary folders (every test's records file, index, library) in memory when the machine has room: SQLite's
    # fsyncs on disk cost ~60 ms a database and nothing here tests durability. PYTEST_DEBUG_TEMPROOT overrides.
    if MEMORY_DISK.is_dir() and os.access(MEMORY_DISK, os.W_OK):
        stat = os.statvfs(MEMORY_DISK)
        if stat.f_bavail * stat.f_frsize >= MEMORY_DISK_MIN_FREE:
            os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(MEMORY_DISK))


@pytest.fixture(scope="session")
def fake_embedder():
    from tests.doubles import FakeEmbedder

    return FakeEmbedder()


@pytest.fixture(scope="session")
def fake_retriever(tmp_path_factory, fake_embedder):
    """A real index of the shipped sources embedded with the fake embedder: BM25 and the whole pipeline
    run for real, no model is loaded."""
    from knowledge.index import build, load
    from knowledge.retrieve import Retriever

    settings = KnowledgeSettings(index_dir=tmp_path_factory.mktemp("fake-index"))
    build(settings, fake_embedder, progress=False)
    return Retriever(load(settings), fake_embedder, settings)


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
def model_retriever(built_settings, embedder):
    """The real retriever: real model, real index (folders may override `retriever` with the fake one)."""
    from knowledge.index import load
    from knowledge.retrieve import Retriever

    return Retriever(load(built_settings), embedder, built_settings)


@pytest.fixture(scope="session")
def retriever(model_retriever):
    return model_retriever


@pytest.fixture
def knowledge(retriever, monkeypatch):
    """Point the action server's retriever at the session's real index for one test (same objects, no reload)."""
    from actions import knowledge_access

    monkeypatch.setattr(knowledge_access, "retriever", lambda: retriever)
    for module in ("actions.policy", "actions.followup", "actions.benefits"):
        monkeypatch.setattr(__import__(module, fromlist=["x"]), "retriever", knowledge_access.retriever)
    return retriever


def copy_sources(tmp_path: Path, *files: Path) -> Path:
    """Copy source files into a fresh folder → the folder."""
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


@pytest.fixture(scope="session", autouse=True)
def _isolated_library(tmp_path_factory):
    """The document library of every test (and of the servers they start) is a temporary folder, never var/library."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KNOWLEDGE_LIBRARY_DIR", str(tmp_path_factory.mktemp("library")))
        yield
