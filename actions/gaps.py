"""Knowledge-gap records: what the assistant could not answer, from the records file → one row per question.

Three sources: a citizen message the assistant refused (journal: the citizen row before a bot row with outcome
`refused`), a 👎 (feedback: the question and the clauses of the answer it was about) and the question behind a
handoff request (handoffs.last_message). Texts were masked at the gateway's entrance before any of these was
written. One question of one conversation counts once, with every kind it was recorded as.
"""

from __future__ import annotations

import json
from contextlib import closing

from actions.store import connect

KINDS = ("refused", "feedback", "handoff")
LIMIT = 2000  # newest records per source: enough for weeks of a hotline, bounded for the grouping

_REFUSED = """SELECT c.sender_id, b.channel, c.at, c.text FROM turns b JOIN turns c ON c.id = (
    SELECT MAX(id) FROM turns WHERE sender_id = b.sender_id AND role = 'citizen' AND id < b.id)
    WHERE b.role = 'bot' AND b.outcome = 'refused' AND b.at >= ? ORDER BY b.id DESC LIMIT ?"""
_FEEDBACK = """SELECT sender_id, created, question, clause_ids FROM feedback
    WHERE rating = 'bad' AND created >= ? AND COALESCE(question, '') != '' ORDER BY id DESC LIMIT ?"""
_HANDOFF = """SELECT sender_id, created, last_message FROM handoffs
    WHERE created >= ? AND COALESCE(last_message, '') != '' ORDER BY id DESC LIMIT ?"""


def records(since: float) -> list[dict]:
    """Epoch seconds → gap records since then, newest first: {text, at, sender_id, channel, kinds, clause_ids}."""
    with closing(connect()) as conn:
        refused = conn.execute(_REFUSED, (since, LIMIT)).fetchall()
        feedback = conn.execute(_FEEDBACK, (since, LIMIT)).fetchall()
        handoff = conn.execute(_HANDOFF, (since, LIMIT)).fetchall()
    rows = [_record(s, ch, at, text, "refused") for s, ch, at, text in refused]
    rows += [_record(s, _channel(s), at, q, "feedback", json.loads(ids)) for s, at, q, ids in feedback]
    rows += [_record(s, _channel(s), at, text, "handoff") for s, at, text in handoff]
    return _merged(rows)


def _record(sender_id: str, channel: str, at: float, text: str, kind: str, clause_ids: list | None = None) -> dict:
    return {"text": text.strip(), "at": at, "sender_id": sender_id, "channel": channel, "kinds": [kind],
            "clause_ids": list(clause_ids or [])}


def _channel(sender_id: str) -> str:
    """A Rasa sender id 'web:abc' → its channel 'web' (feedback and handoff rows keep no channel of their own)."""
    return sender_id.split(":", 1)[0] if ":" in sender_id else "web"


def _merged(rows: list[dict]) -> list[dict]:
    """One row per (conversation, question): kinds and clause ids joined, the newest time kept → newest first."""
    merged: dict[tuple[str, str], dict] = {}
    for row in rows:
        if not row["text"]:
            continue
        key = (row["sender_id"], row["text"])
        if key not in merged:
            merged[key] = row
            continue
        kept = merged[key]
        kept["at"] = max(kept["at"], row["at"])
        kept["kinds"] = sorted(set(kept["kinds"]) | set(row["kinds"]), key=KINDS.index)
        kept["clause_ids"] = list(dict.fromkeys(kept["clause_ids"] + row["clause_ids"]))
    return sorted(merged.values(), key=lambda r: r["at"], reverse=True)
