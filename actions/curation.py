"""Staff curations of knowledge gaps in the records file: question → clause links (问题关联) and "not covered"
marks, each change logged with who and when (schema: actions/schema.py, tables curations and curation_log).

The revision is the newest log row's id: every change writes one, so servers notice edits with one cheap
read (`revision`) and `curator()` applies the current curations to search results (knowledge/links.py).
"""

from __future__ import annotations

import functools
import json
import time
from contextlib import closing

from actions.store import connect, db_path
from knowledge.links import Curation, Curator

FIELDS = ("id", "kind", "questions", "clause_id", "clause_text", "pointer", "created", "created_by", "updated", "updated_by")
EDITABLE = ("questions", "clause_id", "clause_text", "pointer")


def create(kind: str, questions: list[str], staff: str, clause_id: str = "", clause_text: str = "", pointer: str = "") -> int:
    """A new link or mark by `staff` → its id (logged as 'created')."""
    now = time.time()
    with closing(connect()) as conn, conn:
        curation_id = conn.execute(
            "INSERT INTO curations (kind, questions, clause_id, clause_text, pointer, created, created_by, updated, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, json.dumps(questions, ensure_ascii=False), clause_id, clause_text, pointer, now, staff, now, staff)).lastrowid
        _log(conn, curation_id, "created", staff, now, {"kind": kind, "clause_id": clause_id, "pointer": pointer,
                                                         "questions": len(questions)})
    return curation_id


def update(curation_id: int, staff: str, **changes) -> bool:
    """Change some of EDITABLE on one curation → False when there is no such curation (logged as 'updated')."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "questions" in changes:
        changes["questions"] = json.dumps(changes["questions"], ensure_ascii=False)
    now = time.time()
    assignments = ", ".join(f"{name}=?" for name in changes)
    with closing(connect()) as conn, conn:
        done = conn.execute(f"UPDATE curations SET {assignments}{', ' if changes else ''}updated=?, updated_by=? WHERE id=?",
                            (*changes.values(), now, staff, curation_id)).rowcount
        if done:
            _log(conn, curation_id, "updated", staff, now, {k: v for k, v in changes.items() if k != "questions"})
    return bool(done)


def remove(curation_id: int, staff: str) -> bool:
    """Delete one curation (its log stays) → False when there is no such curation."""
    with closing(connect()) as conn, conn:
        row = conn.execute("SELECT kind, clause_id, pointer FROM curations WHERE id=?", (curation_id,)).fetchone()
        if row is None:
            return False
        conn.execute("DELETE FROM curations WHERE id=?", (curation_id,))
        _log(conn, curation_id, "removed", staff, time.time(), {"kind": row[0], "clause_id": row[1], "pointer": row[2]})
    return True


def listing() -> list[dict]:
    """→ every curation, newest change first, each with its log (oldest first)."""
    with closing(connect()) as conn:
        rows = conn.execute(f"SELECT {', '.join(FIELDS)} FROM curations ORDER BY updated DESC, id DESC").fetchall()
        logs = conn.execute("SELECT curation_id, action, staff, at, detail FROM curation_log ORDER BY id").fetchall()
    history: dict[int, list[dict]] = {}
    for curation_id, action, staff, at, detail in logs:
        history.setdefault(curation_id, []).append({"action": action, "staff": staff, "at": at, "detail": json.loads(detail)})
    return [_row(r) | {"history": history.get(r[0], [])} for r in rows]


def history(limit: int = 200) -> list[dict]:
    """→ the latest changes to any curation (removed ones included), newest first."""
    with closing(connect()) as conn:
        rows = conn.execute("SELECT curation_id, action, staff, at, detail FROM curation_log ORDER BY id DESC LIMIT ?",
                            (limit,)).fetchall()
    return [{"curation_id": c, "action": a, "staff": s, "at": t, "detail": json.loads(d)} for c, a, s, t, d in rows]


def revision() -> tuple[str, int]:
    """→ (records file, newest log row id): changes with every edit, and with the file (tests, a restored backup)."""
    with closing(connect()) as conn:
        return str(db_path()), conn.execute("SELECT COALESCE(MAX(id), 0) FROM curation_log").fetchone()[0]


def active() -> list[Curation]:
    """→ the curations as knowledge.links applies them."""
    with closing(connect()) as conn:
        rows = conn.execute(f"SELECT {', '.join(FIELDS)} FROM curations ORDER BY id").fetchall()
    return [as_curation(_row(r)) for r in rows]


def as_curation(row: dict) -> Curation:
    """A listed row → the Curation retrieval applies."""
    return Curation(row["id"], row["kind"], tuple(row["questions"]), row["clause_id"], row["clause_text"], row["pointer"])


@functools.lru_cache(maxsize=1)
def curator() -> Curator:
    """→ the process's Curator over the records file (re-read whenever the revision changed)."""
    return Curator(revision, active)


def _row(values: tuple) -> dict:
    row = dict(zip(FIELDS, values, strict=True))
    row["questions"] = json.loads(row["questions"])
    return row


def _log(conn, curation_id: int, action: str, staff: str, at: float, detail: dict) -> None:
    conn.execute("INSERT INTO curation_log (curation_id, action, staff, at, detail) VALUES (?, ?, ?, ?, ?)",
                 (curation_id, action, staff, at, json.dumps(detail, ensure_ascii=False)))
