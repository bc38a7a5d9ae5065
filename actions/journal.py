"""The conversation journal: every message of every channel — the citizen's (masked), the assistant's and
staff's — with its outcome, for transcripts, live handoff, conversation review and the dashboard.

A row: id, sender_id, channel (web / wechat / wecom), at (epoch seconds), role (citizen / bot / staff),
text, citations (the clause ids / citation strings, JSON list), outcome (for bot rows: answered / refused /
handoff / smalltalk / fallback …), latency_ms (bot rows: the turn's reply time), staff (the account name).
Schema: actions/schema.py step 3; same SQLite file as actions/store.py.
"""

from __future__ import annotations

import json
import time
from contextlib import closing

from actions.store import connect

COLUMNS = ("id", "sender_id", "channel", "at", "role", "text", "citations", "outcome", "latency_ms", "staff")
ROLES = ("citizen", "bot", "staff")
OUTCOMES = ("answered", "refused", "clarify", "handoff", "smalltalk", "fallback", "complaint")
HANDOFF_KINDS = {"handoff", "waiting", "handoff_kept", "handoff_cancelled", "handoff_question"}


def outcome(fields: dict) -> str:
    """A bot message's payload fields (answerable, kind, handoff, degraded) → its outcome, one of OUTCOMES.

    The one mapping every report reads: a retrieval answer while the dialogue was down is `fallback`
    whatever it said; a complaint is not a refusal although it answers no policy question.
    """
    kind = fields.get("kind")
    if fields.get("degraded"):
        return "fallback"
    if kind == "complaint":
        return "complaint"
    if fields.get("handoff") or kind in HANDOFF_KINDS:
        return "handoff"
    if kind == "clarify":
        return "clarify"
    if fields.get("answerable") is True or kind == "benefits":
        return "answered"
    if fields.get("answerable") is False or kind == "not_covered":
        return "refused"
    return "smalltalk"


def record(sender_id: str, channel: str, role: str, text: str, *, citations: list | None = None,
           outcome: str | None = None, latency_ms: float | None = None, staff: str | None = None,
           at: float | None = None) -> int:
    """One message → its row id (at defaults to now)."""
    return record_many(sender_id, channel, [(role, text, {"citations": citations, "outcome": outcome,
                                                          "latency_ms": latency_ms, "staff": staff, "at": at})])[0]


def record_many(sender_id: str, channel: str, messages: list[tuple[str, str, dict]]) -> list[int]:
    """A turn's messages (role, text, {citations, outcome, latency_ms, staff, at}) → their row ids, written in one
    transaction (one commit per turn instead of one per message)."""
    for role, _, _ in messages:
        if role not in ROLES:
            raise ValueError(f"journal role must be one of {ROLES}, not {role!r}")
    now = time.time()
    with closing(connect()) as conn, conn:
        return [conn.execute(
            "INSERT INTO turns (sender_id, channel, at, role, text, citations, outcome, latency_ms, staff) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sender_id, channel, now if f.get("at") is None else f["at"], role, text,
             json.dumps(f.get("citations") or [], ensure_ascii=False), f.get("outcome"), f.get("latency_ms"),
             f.get("staff"))).lastrowid for role, text, f in messages]


def transcript(sender_id: str, after_id: int = 0, limit: int = 500, roles: tuple[str, ...] = ROLES) -> list[dict]:
    """A conversation → its messages with id > after_id (of the given roles), oldest first (after_id lets a client
    poll for new ones)."""
    marks = ", ".join("?" * len(roles))
    with closing(connect()) as conn:
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM turns WHERE sender_id=? AND id>? AND role IN ({marks}) "
                            "ORDER BY id LIMIT ?", (sender_id, after_id, *roles, limit)).fetchall()
    return [_row(r) for r in rows]


def between(start: float, end: float) -> list[dict]:
    """A time window [start, end) → every message in it, oldest first (review and dashboard queries start here)."""
    with closing(connect()) as conn:
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM turns WHERE at>=? AND at<? ORDER BY id", (start, end)).fetchall()
    return [_row(r) for r in rows]


def _row(values: tuple) -> dict:
    row = dict(zip(COLUMNS, values, strict=True))
    row["citations"] = json.loads(row["citations"])
    return row
