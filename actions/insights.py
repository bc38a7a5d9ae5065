"""Conversation review and dashboard figures over the conversation journal (actions/journal.py, table turns)
and the 👍/👎 records (actions/store.py, table feedback).

filters → matching conversations (newest first) · a conversation → its transcript with the clauses cited ·
filters → a CSV file for Excel · a date range → figures per day and channel and the most cited topics.
No web framework here: server/routes/insights.py calls these functions.

A *turn* is one citizen message and the assistant's messages that follow it in the same conversation; its
outcomes are those of its bot rows, its reply time the largest `latency_ms` among them. Days are Beijing days.
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from actions.store import connect

SERVICE_TZ = ZoneInfo("Asia/Shanghai")  # the hotline's working days, whatever zone the server's clock is in
MAX_DAYS = 366
MAX_EXPORT_ROWS = 200_000
TURN_SLACK_S = 600  # a turn begun before the range's end may be answered just after it
CHANNELS = {"web": "网站", "wechat": "微信公众号", "wecom": "企业微信"}
OUTCOMES = {"answered": "已解答", "refused": "未能解答", "clarify": "追问澄清", "handoff": "转人工",
            "smalltalk": "寒暄", "fallback": "降级答复", "complaint": "投诉"}
DISLIKED = "disliked"  # the 👎 filter: a feedback record, not a journal outcome
FILTERS = OUTCOMES | {DISLIKED: "差评（没帮助）"}
ROLES = {"citizen": "市民", "bot": "助手", "staff": "坐席", "rating": "市民评价"}
RATINGS = {"good": "有帮助", "bad": "没帮助"}  # words, not 👍/👎: emoji show as boxes without an emoji font
CSV_HEADER = ("会话", "渠道", "时间", "角色", "内容", "结果", "引用条款", "回复耗时（毫秒）", "坐席")
_TITLE = re.compile(r"《([^》]+)》")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell Excel would run as a formula (CSV injection)

Resolve = Callable[[str], str | None]  # a clause id → its short citation, None when unknown


class RangeError(ValueError):
    """A date range the queries refuse: the message is for staff, in Chinese."""


@dataclass(frozen=True)
class Filters:
    """What staff search for: a date range (both days included), and optionally a channel, an outcome, a phrase."""

    start: date
    end: date
    channel: str | None = None
    outcome: str | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise RangeError("结束日期不能早于开始日期。")
        if (self.end - self.start).days >= MAX_DAYS:
            raise RangeError(f"日期范围最长 {MAX_DAYS} 天，请缩小范围。")
        if self.channel is not None and self.channel not in CHANNELS:
            raise RangeError(f"未知渠道：{self.channel}")
        if self.outcome is not None and self.outcome not in FILTERS:
            raise RangeError(f"未知结果类型：{self.outcome}")

    def window(self) -> tuple[float, float]:
        """→ epoch seconds [start of the first day, start of the day after the last) in SERVICE_TZ."""
        return _epoch(self.start), _epoch(self.end + timedelta(days=1))


def _epoch(day: date) -> float:
    return datetime.combine(day, time(), SERVICE_TZ).timestamp()


def local_day(at: float) -> str:
    """Epoch seconds → the Beijing day 'YYYY-MM-DD'."""
    return datetime.fromtimestamp(at, SERVICE_TZ).date().isoformat()


def local_time(at: float) -> str:
    """Epoch seconds → 'YYYY-MM-DD HH:MM:SS' Beijing time."""
    return datetime.fromtimestamp(at, SERVICE_TZ).strftime("%Y-%m-%d %H:%M:%S")


def channel_of(sender_id: str) -> str:
    """'wechat:o123' → 'wechat' (the gateway prefixes every sender id with its channel)."""
    return sender_id.split(":", 1)[0]


# ------------------------------------------------------------------------------------------- review

_CONVERSATIONS = """
WITH conv AS (
  SELECT sender_id, MIN(channel) AS channel, MIN(at) AS first_at, MAX(at) AS last_at,
         SUM(role = 'citizen') AS questions, SUM(outcome = 'answered') AS answered, SUM(outcome = 'refused') AS refused,
         SUM(outcome = 'handoff') AS handoffs, SUM(role = 'staff') AS staff_messages,
         SUM(outcome = :outcome) AS chosen, MAX(instr(text, :text) > 0) AS has_text
  FROM turns WHERE at >= :start AND (at < :end OR (role != 'citizen' AND at < :late)) AND (:channel IS NULL OR channel = :channel)
  GROUP BY sender_id),
fb AS (
  SELECT sender_id, SUM(rating = 'good') AS liked, SUM(rating = 'bad') AS disliked
  FROM feedback WHERE created >= :start AND created < :end GROUP BY sender_id)
SELECT conv.sender_id, channel, first_at, last_at, questions, answered, refused, handoffs, staff_messages,
       COALESCE(fb.liked, 0) AS liked, COALESCE(fb.disliked, 0) AS disliked
FROM conv LEFT JOIN fb ON fb.sender_id = conv.sender_id
WHERE (:outcome IS NULL OR (CASE WHEN :outcome = 'disliked' THEN COALESCE(fb.disliked, 0) ELSE chosen END) > 0)
  AND (:text IS NULL OR has_text)
"""
_SUMMARY = ("sender_id", "channel", "first_at", "last_at", "questions", "answered", "refused", "handoffs",
            "staff_messages", "liked", "disliked")


def _params(filters: Filters) -> dict:
    start, end = filters.window()
    return {"start": start, "end": end, "late": end + TURN_SLACK_S, "channel": filters.channel, "outcome": filters.outcome,
            "text": filters.text or None}


def search(filters: Filters, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
    """Filters → (how many conversations match, one page of them newest first, each with its first question)."""
    params = _params(filters) | {"limit": limit, "offset": offset}
    with closing(connect()) as conn:
        # the count rides along as a window over the same pass; only a page past the end needs its own count
        rows = conn.execute(f"SELECT *, COUNT(*) OVER () FROM ({_CONVERSATIONS}) ORDER BY last_at DESC, sender_id "
                            "LIMIT :limit OFFSET :offset", params).fetchall()
        total = rows[0][-1] if rows else conn.execute(f"SELECT COUNT(*) FROM ({_CONVERSATIONS})", params).fetchone()[0]
        found = [dict(zip(_SUMMARY, r[:-1], strict=True)) for r in rows]
        for row in found:
            first = conn.execute("SELECT text FROM turns WHERE sender_id = ? AND role = 'citizen' AND at >= ? AND at < ? "
                                 "ORDER BY id LIMIT 1", (row["sender_id"], params["start"], params["end"])).fetchone()
            row["first_question"] = first[0] if first else ""
    return total, found


def transcript(sender_id: str, resolve: Resolve | None = None, limit: int = 2000) -> dict:
    """A conversation → {"sender_id", "channel", "messages": [... with "cited": [{clause_id, label}]], "ratings"}."""
    with closing(connect()) as conn:
        rows = conn.execute("SELECT id, at, role, text, citations, outcome, latency_ms, staff FROM turns "
                            "WHERE sender_id = ? ORDER BY id LIMIT ?", (sender_id, limit)).fetchall()
        ratings = conn.execute("SELECT created, rating, question, clause_ids FROM feedback WHERE sender_id = ? ORDER BY id",
                               (sender_id,)).fetchall()
    messages = [{"id": i, "at": at, "role": role, "text": text, "outcome": outcome, "latency_ms": latency, "staff": staff,
                 "cited": [cited(c, resolve) for c in json.loads(citations)]}
                for i, at, role, text, citations, outcome, latency, staff in rows]
    return {"sender_id": sender_id, "channel": channel_of(sender_id), "messages": messages,
            "ratings": [{"at": at, "rating": rating, "question": question or "",
                         "cited": [cited(c, resolve) for c in json.loads(ids)]} for at, rating, question, ids in ratings]}


def cited(entry: object, resolve: Resolve | None = None) -> dict:
    """A journal citation (a clause id, a citation string or a citation object) → {"clause_id", "label"}."""
    if isinstance(entry, dict):
        clause_id = str(entry.get("clause_id") or "") or None
        label = str(entry.get("citation") or "")
        if not label and entry.get("doc_title"):
            label = f"《{entry['doc_title']}》{''.join(map(str, entry.get('path') or []))}"
        return {"clause_id": clause_id, "label": label or (resolve(clause_id) if resolve and clause_id else None) or clause_id or ""}
    text = str(entry)
    known = resolve(text) if resolve else None
    return {"clause_id": text, "label": known} if known else {"clause_id": None, "label": text}


def export_csv(filters: Filters, resolve: Resolve | None = None) -> str:
    """Filters → the matching conversations' messages and ratings in the range as CSV text for Excel
    (UTF-8 with BOM, a header row, one row per message, oldest first within each conversation)."""
    params = _params(filters)
    matching = f"SELECT sender_id FROM ({_CONVERSATIONS})"  # the same conversations the search lists
    with closing(connect()) as conn:
        turns = conn.execute(f"SELECT sender_id, channel, at, role, text, outcome, citations, latency_ms, staff FROM turns "
                             f"WHERE at >= :start AND (at < :end OR (role != 'citizen' AND at < :late)) AND sender_id IN ({matching}) "
                             f"ORDER BY sender_id, at, id LIMIT {MAX_EXPORT_ROWS + 1}", params).fetchall()
        ratings = conn.execute(f"SELECT sender_id, created, rating, question FROM feedback "
                               f"WHERE created >= :start AND created < :end AND sender_id IN ({matching})", params).fetchall()
    if len(turns) + len(ratings) > MAX_EXPORT_ROWS:
        raise RangeError(f"导出内容超过 {MAX_EXPORT_ROWS} 行，请缩小日期范围或增加筛选条件。")
    rows = [(s, at, ch, ROLES[role], text, OUTCOMES.get(outcome or "", outcome or ""),
             "；".join(cited(c, resolve)["label"] for c in json.loads(cites)), "" if lat is None else round(lat), staff or "")
            for s, ch, at, role, text, outcome, cites, lat, staff in turns]
    rows += [(s, at, channel_of(s), ROLES["rating"], RATINGS.get(r, r) + (f"（{q}）" if q else ""), "", "", "", "")
             for s, at, r, q in ratings]
    rows.sort(key=lambda r: (r[0], r[1]))
    out = io.StringIO()
    out.write("\ufeff")  # the byte-order mark makes Excel read the file as UTF-8, so Chinese is not garbled
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for s, at, ch, *rest in rows:
        writer.writerow([_cell(s), CHANNELS.get(ch, ch), local_time(at), *(_cell(v) for v in rest)])
    return out.getvalue()


def _cell(value: object) -> object:
    """A value → itself, with a leading apostrophe when text would start an Excel formula (a citizen wrote it)."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


# ------------------------------------------------------------------------------------------- dashboard

@dataclass
class _Bucket:
    """One day and channel's running counts."""

    questions: int = 0
    answered: int = 0
    refused: int = 0
    handoffs: int = 0
    liked: int = 0
    disliked: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(self, other: _Bucket) -> None:
        for name in ("questions", "answered", "refused", "handoffs", "liked", "disliked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.latencies += other.latencies

    def figures(self) -> dict:
        return {"questions": self.questions, "answered": self.answered,
                "answered_share": round(self.answered / self.questions, 4) if self.questions else None,
                "refused": self.refused, "handoffs": self.handoffs, "liked": self.liked, "disliked": self.disliked,
                "median_reply_ms": round(statistics.median(self.latencies), 1) if self.latencies else None}


@dataclass
class _Turn:
    day: str
    channel: str
    outcomes: set[str] = field(default_factory=set)
    latency: float | None = None
    cited: list = field(default_factory=list)


def dashboard(start: date, end: date, channel: str | None = None, resolve: Resolve | None = None, top: int = 10) -> dict:
    """A date range (and channel) → {"days": [per day and channel figures], "daily": [per day, all channels],
    "totals": [per channel, then "all"],
    "topics": [the clauses answers cited most], "documents": [the documents answers cited most]}."""
    filters = Filters(start, end, channel)
    buckets: dict[tuple[str, str], _Bucket] = defaultdict(_Bucket)
    clauses, documents = Counter(), Counter()
    for turn in _turns(filters):
        bucket = buckets[turn.day, turn.channel]
        bucket.questions += 1
        bucket.answered += "answered" in turn.outcomes
        bucket.refused += "refused" in turn.outcomes
        bucket.handoffs += "handoff" in turn.outcomes
        if turn.latency is not None:
            bucket.latencies.append(turn.latency)
        labels = {cited(c, resolve)["label"] for c in turn.cited} - {""}
        clauses.update(labels)
        documents.update({_document(label) for label in labels})
    for day, ch, rating in _ratings(filters):
        bucket = buckets[day, ch]
        bucket.liked += rating == "good"
        bucket.disliked += rating == "bad"
    channels = [channel] if channel else sorted({ch for _, ch in buckets} or CHANNELS)
    days = [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
    rows = [{"day": d, "channel": ch, **buckets.get((d, ch), _Bucket()).figures()} for d in days for ch in channels]
    daily = [{"day": d, "channel": "all", **_merged(b for (day, _), b in buckets.items() if day == d).figures()} for d in days]
    return {"start": start.isoformat(), "end": end.isoformat(), "channel": channel, "channels": channels, "days": rows,
            "daily": daily, "totals": _totals(buckets, channels),
            "topics": [{"label": k, "count": n} for k, n in _top(clauses, top)],
            "documents": [{"label": k, "count": n} for k, n in _top(documents, top)]}


def _top(counts: Counter, n: int) -> list[tuple[str, int]]:
    """→ the n most frequent, ties by name (stable across runs)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _merged(buckets: Iterable[_Bucket]) -> _Bucket:
    """Buckets → one bucket holding all their counts and reply times."""
    total = _Bucket()
    for bucket in buckets:
        total.add(bucket)
    return total


def _totals(buckets: dict[tuple[str, str], _Bucket], channels: list[str]) -> list[dict]:
    """Per-day buckets → one row per channel over the whole range, then one for all channels."""
    per = {ch: _merged(b for (_, c), b in buckets.items() if c == ch) for ch in channels}
    return [{"channel": ch, **b.figures()} for ch, b in per.items()] + [{"channel": "all", **_merged(per.values()).figures()}]


def _document(label: str) -> str:
    """'《就业促进法》第二十七条' → '《就业促进法》'; a label without a title stays as it is."""
    found = _TITLE.search(label)
    return f"《{found.group(1)}》" if found else label


def _turns(filters: Filters) -> Iterable[_Turn]:
    """The journal in the range, oldest first → its turns (a citizen row and the bot rows after it)."""
    start, end = filters.window()
    open_turns: dict[str, _Turn] = {}
    with closing(connect()) as conn:
        rows = conn.execute("SELECT sender_id, channel, at, role, citations, outcome, latency_ms FROM turns "
                            "WHERE at >= ? AND at < ? AND (? IS NULL OR channel = ?) ORDER BY id",
                            (start, end + TURN_SLACK_S, filters.channel, filters.channel))
        for sender, channel, at, role, citations, outcome, latency in rows:
            if role == "citizen":
                if sender in open_turns:
                    yield open_turns.pop(sender)
                if at < end:
                    open_turns[sender] = _Turn(local_day(at), channel)
            elif role == "bot" and sender in open_turns:
                turn = open_turns[sender]
                if outcome:
                    turn.outcomes.add(outcome)
                if latency is not None:
                    turn.latency = max(latency, turn.latency or 0.0)
                if outcome == "answered":
                    turn.cited += json.loads(citations)
    yield from open_turns.values()


def _ratings(filters: Filters) -> Iterable[tuple[str, str, str]]:
    """The 👍/👎 records in the range → (day, channel, rating)."""
    start, end = filters.window()
    with closing(connect()) as conn:
        rows = conn.execute("SELECT created, sender_id, rating FROM feedback WHERE created >= ? AND created < ?",
                            (start, end)).fetchall()
    for created, sender, rating in rows:
        ch = channel_of(sender)
        if filters.channel in (None, ch):
            yield local_day(created), ch, rating
