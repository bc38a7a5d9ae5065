"""Records the action server keeps: handoff requests (the staff queue) and answer feedback, in SQLite
(schema and its migrations: actions/schema.py).

A handoff request's status: waiting → claimed (one staff account talks with the citizen) → returned (handed
back to the assistant) or done (closed); waiting → cancelled (the citizen withdrew) or done.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from actions import schema

OPEN = ("waiting", "claimed")  # a request staff still have to handle
HANDOFF_COLUMNS = ("id", "sender_id", "created", "last_message", "status", "claimed_by", "claimed", "resolved")
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
        row = conn.execute(f"SELECT id FROM handoffs WHERE sender_id=? AND status IN {OPEN}", (sender_id,)).fetchone()
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
    """The citizen withdraws (waiting, or talking with staff): the open request → status 'cancelled'; → its id,
    None when none was open."""
    with closing(connect()) as conn, conn:
        row = conn.execute(f"SELECT id FROM handoffs WHERE sender_id=? AND status IN {OPEN}", (sender_id,)).fetchone()
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


def open_handoffs() -> list[dict]:
    """→ the requests staff still handle (waiting, claimed), oldest first, with who claimed them."""
    with closing(connect()) as conn:
        rows = conn.execute(f"SELECT {', '.join(HANDOFF_COLUMNS)} FROM handoffs WHERE status IN {OPEN} ORDER BY id").fetchall()
    return [dict(zip(HANDOFF_COLUMNS, r, strict=True)) for r in rows]


def handoff(handoff_id: int) -> dict | None:
    """A request id → the request (any status), None when there is none."""
    with closing(connect()) as conn:
        row = conn.execute(f"SELECT {', '.join(HANDOFF_COLUMNS)} FROM handoffs WHERE id=?", (handoff_id,)).fetchone()
    return dict(zip(HANDOFF_COLUMNS, row, strict=True)) if row else None


def claim(handoff_id: int, account: str) -> bool:
    """A waiting request → claimed by `account`; True for exactly one of any number of simultaneous claims
    (one conditional UPDATE: SQLite serialises writers, and the second finds the status changed)."""
    with closing(connect()) as conn, conn:
        return conn.execute("UPDATE handoffs SET status='claimed', claimed_by=?, claimed=? WHERE id=? AND status='waiting'",
                            (account, time.time(), handoff_id)).rowcount == 1


def finish(handoff_id: int, status: str, account: str) -> str | None:
    """A waiting request, or one `account` claimed → status 'returned' (back to the assistant) or 'done' (closed);
    → its sender_id, None when it is not open or someone else holds it."""
    if status not in ("returned", "done"):
        raise ValueError(f"a handoff finishes as 'returned' or 'done', not {status!r}")
    with closing(connect()) as conn, conn:
        row = conn.execute("SELECT sender_id FROM handoffs WHERE id=? AND (status='waiting' OR (status='claimed' AND claimed_by=?))",
                           (handoff_id, account)).fetchone()
        if row:
            conn.execute("UPDATE handoffs SET status=?, resolved=? WHERE id=?", (status, time.time(), handoff_id))
        return row[0] if row else None


def touch(handoff_id: int) -> None:
    """The holder acted (a reply): the claim's activity time is now."""
    with closing(connect()) as conn, conn:
        conn.execute("UPDATE handoffs SET claimed=? WHERE id=? AND status='claimed'", (time.time(), handoff_id))


def handoff_state(sender_id: str) -> tuple[str, str | None, float | None] | None:
    """A conversation → (status, claimed_by, the holder's last activity) of its open request, None when nothing is open."""
    with closing(connect()) as conn:
        row = conn.execute(f"SELECT status, claimed_by, claimed FROM handoffs WHERE sender_id=? AND status IN {OPEN} "
                           "ORDER BY id DESC", (sender_id,)).fetchone()
    return tuple(row) if row else None


def add_feedback(sender_id: str, rating: str, clause_ids: list[str], question: str) -> int:
    """A 👍/👎 on the last answer → its row id."""
    with closing(connect()) as conn, conn:
        return conn.execute("INSERT INTO feedback (sender_id, created, rating, clause_ids, question) VALUES (?, ?, ?, ?, ?)",
                            (sender_id, time.time(), rating, json.dumps(clause_ids), question)).lastrowid


def feedback_rows() -> list[dict]:
    with closing(connect()) as conn:
        rows = conn.execute("SELECT sender_id, rating, clause_ids, question FROM feedback ORDER BY id").fetchall()
    return [{"sender_id": s, "rating": r, "clause_ids": json.loads(c), "question": q} for s, r, c, q in rows]
