"""Schema migrations of the action server's records: a file written by the code before versioning
(user_version 0, today's CREATE TABLE statements, with rows) is upgraded in place and keeps its data."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pytest
from fastapi.testclient import TestClient

from actions import schema, store
from server.config import Settings
from server.main import create_app
from tests.gateway.test_gateway import FakeDialogue

# The schema exactly as actions/store.py created it before migrations existed.
UNVERSIONED = """
CREATE TABLE IF NOT EXISTS handoffs (id INTEGER PRIMARY KEY, sender_id TEXT NOT NULL, created REAL NOT NULL,
    last_message TEXT, status TEXT NOT NULL DEFAULT 'waiting');
CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, sender_id TEXT NOT NULL, created REAL NOT NULL,
    rating TEXT NOT NULL, clause_ids TEXT NOT NULL, question TEXT);
"""


@pytest.fixture
def old_db(tmp_path, monkeypatch):
    """A records file made by the unversioned code, holding a waiting, a done handoff and feedback."""
    path = tmp_path / "assistant.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(UNVERSIONED)
        conn.executemany("INSERT INTO handoffs (sender_id, created, last_message, status) VALUES (?, ?, ?, ?)",
                         [("web:张三", 1.0, "失业了怎么领补贴", "waiting"), ("wx:李四", 2.0, "转人工", "done")])
        conn.execute("INSERT INTO feedback (sender_id, created, rating, clause_ids, question) VALUES (?, ?, ?, ?, ?)",
                     ("web:张三", 3.0, "bad", '["gf2017-28.p3.i9.s2"]', "创业担保贷款怎么申请"))
    monkeypatch.setenv("ACTIONS_DB_PATH", str(path))
    return path


def _columns(path, table: str) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _version(path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return schema.version(conn)


def test_opening_an_unversioned_file_upgrades_it_and_keeps_every_row(old_db):
    assert _version(old_db) == 0
    assert store.waiting_handoffs() == [{"id": 1, "sender_id": "web:张三", "created": 1.0, "last_message": "失业了怎么领补贴"}]
    assert _version(old_db) == schema.LATEST
    assert "resolved" in _columns(old_db, "handoffs")
    assert store.feedback_rows() == [{"sender_id": "web:张三", "rating": "bad", "clause_ids": ["gf2017-28.p3.i9.s2"],
                                      "question": "创业担保贷款怎么申请"}]
    assert store.is_waiting("web:张三") and not store.is_waiting("wx:李四")
    assert store.resolve_handoff(1) == "web:张三"
    with closing(sqlite3.connect(old_db)) as conn:
        assert conn.execute("SELECT resolved FROM handoffs WHERE id=1").fetchone()[0] > 0  # the new column is written
        assert conn.execute("SELECT count(*) FROM handoffs").fetchone()[0] == 2


def test_gateway_start_up_upgrades_the_records_file(old_db):
    with TestClient(create_app(Settings(), retriever=object(), dialogue=FakeDialogue())):  # no search here: no index
        assert _version(old_db) == schema.LATEST  # before any request


def test_a_new_file_gets_the_latest_schema_and_upgrading_again_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "new.db"))
    store.add_feedback("web:王五", "good", ["c1"], "问题")
    path = tmp_path / "new.db"
    with closing(sqlite3.connect(path)) as conn:
        assert schema.upgrade(conn, path) == schema.LATEST
        assert schema.upgrade(conn, path) == schema.LATEST
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 1
    assert _columns(path, "handoffs") == ["id", "sender_id", "created", "last_message", "status", "resolved", "claimed_by", "claimed"]


def test_a_failing_step_leaves_the_file_unchanged(old_db):
    broken = (*schema.MIGRATIONS, ("ALTER TABLE feedback ADD COLUMN channel TEXT", "ALTER TABLE no_such_table ADD COLUMN x"))
    with closing(sqlite3.connect(old_db)) as conn, pytest.raises(schema.SchemaError, match=rf"assistant\.db: migration step {schema.LATEST + 1} failed"):
        schema.upgrade(conn, old_db, broken)
    assert _version(old_db) == 0  # steps 1 and 2 were in the same transaction: rolled back too
    assert "resolved" not in _columns(old_db, "handoffs") and "channel" not in _columns(old_db, "feedback")
    with closing(sqlite3.connect(old_db)) as conn:
        assert conn.execute("SELECT count(*) FROM handoffs").fetchone()[0] == 2


def test_a_file_from_newer_code_is_refused_with_its_path(old_db):
    with closing(sqlite3.connect(old_db)) as conn:
        conn.execute("PRAGMA user_version = 99")
        conn.commit()
        with pytest.raises(schema.SchemaError, match=r"assistant\.db: schema version 99 is newer"):
            schema.upgrade(conn, old_db)


def test_processes_opening_an_old_file_at_once_apply_each_step_once(old_db):
    errors: list[Exception] = []

    def open_store() -> None:
        try:
            store.is_waiting("web:张三")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []  # a second ALTER TABLE ... ADD COLUMN resolved would have failed
    assert _version(old_db) == schema.LATEST and _columns(old_db, "handoffs").count("resolved") == 1
