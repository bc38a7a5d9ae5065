"""Records the action server keeps: handoff requests (the staff queue) and answer feedback, in SQLite
(schema and its migrations: actions/schema.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from actions import schema

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "assistant.db"


def db_path() -> Path:
    """The SQLite file: ACTIONS_DB_PATH, or var/assistant.db."""
    return Path(os.environ.get("ACTIONS_DB_PATH") or DEFAULT_DB)


def connect() -> sqlite3.Connection:
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    schema.upgrade(conn, path)  # whoever opens the store first brings an older file up to date
    return conn


def ensure_schema() -> int:
    """Open the records file once → its schema version, migrated (start-up: a bad file stops it, naming the path)."""
    with closing(connect()) as conn:
        return schema.version(conn)


def add_handoff(sender_id: str, last_message: str) -> int:
    """A conversation asking for a person → its row id in the waiting queue (one open request each)."""
    with closing(connect()) as conn, conn:
        row = conn.execute("SELECT id FROM handoffs WHERE sender_id=? AND status='waiting'", (sender_id,)).fetchone()
        if row:
            return row[0]
        return conn.execute("INSERT INTO handoffs (sender_id, created, last_message) VALUES (?, ?, ?)",
                            (sender_id, time.time(), last_message)).lastrowid


def waiting_handoffs() -> list[dict]:
    """→ the waiting queue, oldest first."""
    with closing(connect()) as conn:
        rows = conn.execute("SELECT id, sender_id, created, last_message FROM handoffs WHERE status='waiting' ORDER BY id").fetchall()
    return [dict(zip(("id", "sender_id", "created", "last_message"), r, strict=True)) for r in rows]


def is_waiting(sender_id: str) -> bool:
    """True while the conversation waits for a person."""
    return waiting_ticket(sender_id) is not None


def waiting_ticket(sender_id: str) -> int | None:
    """→ the conversation's open request id (its place in the queue), None when it is not waiting."""
    with closing(connect()) as conn:
        row = conn.execute("SELECT id FROM handoffs WHERE sender_id=? AND status='waiting'", (sender_id,)).fetchone()
    return row[0] if row else None


def cancel_handoff(sender_id: str) -> int | None:
    """The citizen withdraws: the open request → status 'cancelled'; → its id, None when none was open."""
    with closing(connect()) as conn, conn:
        row = conn.execute("SELECT id FROM handoffs WHERE sender_id=? AND status='waiting'", (sender_id,)).fetchone()
        if row:
            conn.execute("UPDATE handoffs SET status='cancelled' WHERE id=?", (row[0],))
        return row[0] if row else None


def resolve_handoff(handoff_id: int) -> str | None:
    """A waiting request's id → its sender_id, now marked done; None when no such waiting request."""
    with closing(connect()) as conn, conn:
        row = conn.execute("SELECT sender_id FROM handoffs WHERE id=? AND status='waiting'", (handoff_id,)).fetchone()
        if row:
            conn.execute("UPDATE handoffs SET status='done', resolved=? WHERE id=?", (time.time(), handoff_id))
        return row[0] if row else None


def add_feedback(sender_id: str, rating: str, clause_ids: list[str], question: str) -> int:
    """A 👍/👎 on the last answer → its row id."""
    with closing(connect()) as conn, conn:
        return conn.execute("INSERT INTO feedback (sender_id, created, rating, clause_ids, question) VALUES (?, ?, ?, ?, ?)",
                            (sender_id, time.time(), rating, json.dumps(clause_ids), question)).lastrowid


def feedback_rows() -> list[dict]:
    with closing(connect()) as conn:
        rows = conn.execute("SELECT sender_id, rating, clause_ids, question FROM feedback ORDER BY id").fetchall()
    return [{"sender_id": s, "rating": r, "clause_ids": json.loads(c), "question": q} for s, r, c, q in rows]
