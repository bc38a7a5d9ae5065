"""The records' schema as ordered migration steps: a SQLite file at any older version → the current one.

The version lives in SQLite's own header (`PRAGMA user_version`); step N brings a file from version
N-1 to N. Steps are only ever appended: a released step is never edited, so every file in the field
follows the same path. Each upgrade runs in one write transaction, so a failed step leaves the file
as it was, and two processes opening the store at once apply each step exactly once.
"""

from __future__ import annotations

import sqlite3

# Version 1 is the schema before versioning (user_version 0 with these tables, or an empty file):
# IF NOT EXISTS makes it a no-op on files written by that code.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    ("""CREATE TABLE IF NOT EXISTS handoffs (id INTEGER PRIMARY KEY, sender_id TEXT NOT NULL, created REAL NOT NULL,
        last_message TEXT, status TEXT NOT NULL DEFAULT 'waiting')""",
     """CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, sender_id TEXT NOT NULL, created REAL NOT NULL,
        rating TEXT NOT NULL, clause_ids TEXT NOT NULL, question TEXT)"""),
    # 2: when staff closed a request (handling time), and an index for the lookup every paused turn makes
    ("ALTER TABLE handoffs ADD COLUMN resolved REAL",
     "CREATE INDEX handoffs_by_sender ON handoffs (sender_id, status)"),
    # 3: the conversation journal (actions/journal.py): every citizen, bot and staff message of every channel
    ("""CREATE TABLE turns (id INTEGER PRIMARY KEY, sender_id TEXT NOT NULL, channel TEXT NOT NULL, at REAL NOT NULL,
        role TEXT NOT NULL, text TEXT NOT NULL, citations TEXT NOT NULL DEFAULT '[]', outcome TEXT,
        latency_ms REAL, staff TEXT)""",
     "CREATE INDEX turns_by_sender ON turns (sender_id, id)",
     "CREATE INDEX turns_by_time ON turns (at)"),
    # 4: live handoff — the staff account that took a waiting conversation, and when it last acted (claim or reply;
    # status 'claimed'; handing it back to the assistant is status 'returned')
    ("ALTER TABLE handoffs ADD COLUMN claimed_by TEXT",
     "ALTER TABLE handoffs ADD COLUMN claimed REAL"),
    # 5: staff curations of knowledge gaps
    # (actions/curation.py), question → clause links and "not covered" marks, every change logged (who, when, what)
    ("""CREATE TABLE curations (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, questions TEXT NOT NULL,
        clause_id TEXT NOT NULL DEFAULT '', clause_text TEXT NOT NULL DEFAULT '', pointer TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL, created_by TEXT NOT NULL, updated REAL NOT NULL, updated_by TEXT NOT NULL)""",
     """CREATE TABLE curation_log (id INTEGER PRIMARY KEY, curation_id INTEGER NOT NULL, action TEXT NOT NULL,
        staff TEXT NOT NULL, at REAL NOT NULL, detail TEXT NOT NULL)"""),
)
LATEST = len(MIGRATIONS)


class SchemaError(RuntimeError):
    """The file is newer than this code, or a step failed: the message names the file and the step."""


def version(conn: sqlite3.Connection) -> int:
    """An open connection → its schema version."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def upgrade(conn: sqlite3.Connection, path: object, steps: tuple[tuple[str, ...], ...] = MIGRATIONS) -> int:
    """Apply the missing steps in one transaction (a no-op when current) → the version now."""
    if version(conn) == len(steps):
        return len(steps)  # the common case: no write lock taken
    previous, conn.isolation_level = conn.isolation_level, None  # we issue BEGIN/COMMIT ourselves
    try:
        conn.execute("BEGIN IMMEDIATE")  # another process upgrading waits here, then finds nothing to do
        current = version(conn)
        if current > len(steps):
            raise SchemaError(f"{path}: schema version {current} is newer than this code knows ({len(steps)}); "
                              "upgrade the application or restore a matching backup")
        for number in range(current + 1, len(steps) + 1):
            _apply(conn, path, number, steps[number - 1])
        conn.execute(f"PRAGMA user_version = {len(steps)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.isolation_level = previous
    return len(steps)


def _apply(conn: sqlite3.Connection, path: object, number: int, statements: tuple[str, ...]) -> None:
    """Run one step's statements inside the open transaction (executescript would commit it)."""
    for statement in statements:
        try:
            conn.execute(statement)
        except sqlite3.Error as exc:
            raise SchemaError(f"{path}: migration step {number} failed ({exc}); the file is unchanged") from exc
