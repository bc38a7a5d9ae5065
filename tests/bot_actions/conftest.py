"""Fixtures for action tests: real trackers, a collecting dispatcher (the real index: `knowledge` in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "assistant.db"))
    return tmp_path / "assistant.db"


def tracker(text: str, intent: str = "ask_policy", slots: dict | None = None, entities: list | None = None) -> Tracker:
    """A tracker whose latest message is `text` with `intent`, holding `slots`."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []}
    events = [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker("citizen-1", slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, t: Tracker) -> tuple[list[dict], list[dict]]:
    """Run an action → (messages it sent, events it returned)."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, events


TODAY = dt.date(2026, 11, 24)
