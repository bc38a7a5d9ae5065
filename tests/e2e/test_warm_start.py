"""Warm start: each process has loaded and exercised what it needs before it reports ready, and Rasa's
warm-up leaves no conversation behind (the first-question figure is benchmarks/bench_warm.py)."""

import sqlite3

import pytest
from fastapi.testclient import TestClient

from actions import knowledge_access, serve
from server.config import Settings
from server.launcher import warm_rasa
from server.main import create_app

pytestmark = pytest.mark.integration


def loaded(retriever) -> bool:
    """→ whether the embedding model and the jieba dictionary are in memory (both load on first use)."""
    return "model" in vars(retriever.embedder) and "_jieba" in vars(retriever.tokenizer)


def test_gateway_is_warm_before_it_serves(built_settings, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(built_settings.index_dir))
    with TestClient(create_app(Settings(rasa_url="http://127.0.0.1:9", actions_url="http://127.0.0.1:9"))) as client:
        assert loaded(client.app.state.retriever)


def test_action_server_is_warm_before_it_serves(built_settings, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(built_settings.index_dir))
    knowledge_access.retriever.cache_clear()
    seen = []
    monkeypatch.setattr(serve, "rasa_sdk_main", lambda: seen.append(loaded(knowledge_access.retriever())))
    try:
        serve.main()
    finally:
        knowledge_access.retriever.cache_clear()
    assert seen == [True]


def conversations(tracker_db) -> int:
    if not tracker_db.exists():
        return 0
    with sqlite3.connect(tracker_db) as db:
        return db.execute("SELECT COUNT(DISTINCT sender_id) FROM events").fetchone()[0]


def test_rasa_warm_up_stores_no_conversation(rasa_stack):
    before = conversations(rasa_stack["tracker_db"])
    warm_rasa(rasa_stack["rasa"])
    assert conversations(rasa_stack["tracker_db"]) == before


def test_rasa_warm_up_names_the_server_that_failed():
    with pytest.raises(RuntimeError, match="rasa did not answer its warm-up at http://127.0.0.1:9"):
        warm_rasa("http://127.0.0.1:9", timeout_s=2)
