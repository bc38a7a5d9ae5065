"""Staff insights API (staff login): conversation review (search, transcript, CSV export) and the dashboard.

Thin handlers over actions/insights.py; the clause ids a journal row cites are named through the index in use.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from actions import insights
from knowledge import cite
from server.deps import RetrieverDep, StaffDep, StaffOnly

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/staff/insights", tags=["insights"], dependencies=[StaffOnly])

Channel = Literal["web", "wechat", "wecom"]
OutcomeFilter = Literal["answered", "refused", "clarify", "handoff", "smalltalk", "fallback", "complaint", "disliked"]
DEFAULT_DAYS = 7


class Range(BaseModel):
    """Query parameters shared by every view: a date range (both days included; default the last 7 days)."""

    start: date | None = Field(None, description="开始日期（含），默认为 7 天前")
    end: date | None = Field(None, description="结束日期（含），默认为今天（北京时间）")
    channel: Channel | None = Field(None, description="渠道：web / wechat / wecom")


class Search(Range):
    outcome: OutcomeFilter | None = Field(None, description="结果：answered / refused / handoff / disliked（👎）…")
    q: str | None = Field(None, max_length=100, description="会话中出现的文字")


class Page(Search):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class Option(BaseModel):
    value: str
    label: str


class Meta(BaseModel):
    channels: list[Option]
    outcomes: list[Option]
    ratings: list[Option]
    max_days: int
    default_days: int
    time_zone: str  # the zone of the days and times shown (an IANA name)


class ConversationSummary(BaseModel):
    sender_id: str
    channel: str
    first_at: float
    last_at: float
    first_question: str
    questions: int
    answered: int
    refused: int
    handoffs: int
    staff_messages: int
    liked: int
    disliked: int


class ConversationPage(BaseModel):
    total: int
    conversations: list[ConversationSummary]


class Cited(BaseModel):
    clause_id: str | None
    label: str


class Entry(BaseModel):
    id: int
    at: float
    role: Literal["citizen", "bot", "staff"]
    text: str
    outcome: str | None
    latency_ms: float | None
    staff: str | None
    cited: list[Cited]


class Rating(BaseModel):
    at: float
    rating: str
    question: str
    cited: list[Cited]


class Transcript(BaseModel):
    sender_id: str
    channel: str
    messages: list[Entry]
    ratings: list[Rating]


class Figures(BaseModel):
    channel: str
    questions: int
    answered: int
    answered_share: float | None
    refused: int
    handoffs: int
    liked: int
    disliked: int
    median_reply_ms: float | None


class DayFigures(Figures):
    day: date


class Count(BaseModel):
    label: str
    count: int


class Dashboard(BaseModel):
    start: date
    end: date
    channel: str | None
    channels: list[str]
    days: list[DayFigures]
    daily: list[DayFigures]
    totals: list[Figures]
    topics: list[Count]
    documents: list[Count]


@router.get("/meta")
def meta() -> Meta:
    """→ the channels and outcomes the views filter by, with their Chinese names (the console's one source)."""
    return Meta(channels=[Option(value=k, label=v) for k, v in insights.CHANNELS.items()],
                outcomes=[Option(value=k, label=v) for k, v in insights.FILTERS.items()],
                ratings=[Option(value=k, label=v) for k, v in insights.RATINGS.items()],
                max_days=insights.MAX_DAYS, default_days=DEFAULT_DAYS, time_zone=insights.SERVICE_TZ.key)


@router.get("/conversations")
async def conversations(query: Annotated[Page, Query()]) -> ConversationPage:
    """Filters and a page → the matching conversations, newest first, and how many match."""
    total, rows = await asyncio.to_thread(insights.search, _filters(query), query.limit, query.offset)
    return ConversationPage(total=total, conversations=rows)


@router.get("/conversations.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "UTF-8 with BOM, a header row"}})
async def export(query: Annotated[Search, Query()], retriever: RetrieverDep, account: StaffDep) -> Response:
    """Filters → every matching conversation's messages and ratings in the range as a CSV download."""
    filters = _filters(query)
    text = await asyncio.to_thread(_guarded, insights.export_csv, filters, _resolver(retriever))
    log.info("staff %s exported conversations %s", account.name, filters)  # who took citizens' messages out, and which
    name = f"conversations-{filters.start}-{filters.end}.csv"
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/conversations/{sender_id}")
async def conversation(sender_id: str, retriever: RetrieverDep) -> Transcript:
    """A conversation id → its messages with the clauses cited and its ratings; 404 when it has none."""
    found = await asyncio.to_thread(insights.transcript, sender_id, _resolver(retriever))
    if not found["messages"] and not found["ratings"]:
        raise HTTPException(404, f"没有找到会话 {sender_id} 的记录。")
    return Transcript(**found)


@router.get("/dashboard")
async def dashboard(query: Annotated[Range, Query()], retriever: RetrieverDep) -> Dashboard:
    """A date range (and channel) → figures per day and channel, totals, and the most cited clauses and documents."""
    f = _filters(query)
    board = await asyncio.to_thread(_guarded, insights.dashboard, f.start, f.end, f.channel, _resolver(retriever))
    return Dashboard(**board)


def _filters(query: Range) -> insights.Filters:
    """Query parameters → Filters (the last DEFAULT_DAYS days by default); a bad range → 422 in Chinese."""
    end = query.end or datetime.now(insights.SERVICE_TZ).date()
    start = query.start or end - timedelta(days=DEFAULT_DAYS - 1)
    extra = {"outcome": query.outcome, "text": query.q} if isinstance(query, Search) else {}
    return _guarded(insights.Filters, start, end, query.channel, **extra)


def _guarded(function, *args, **kwargs):
    """Call function → its result; a RangeError becomes a 422 carrying its Chinese message."""
    try:
        return function(*args, **kwargs)
    except insights.RangeError as exc:
        raise HTTPException(422, str(exc)) from exc


def _resolver(retriever) -> insights.Resolve:
    """The retriever → clause id → 「《标题》第X条」 / 「《标题》（文号）（十一）…」, the table built on first use only."""
    index = retriever.index
    labels: dict[str, str] = {}

    def resolve(clause_id: str) -> str | None:
        if not labels:
            labels.update({c.clause_id: cite.short_source(c, index.by_id[c.doc_id].title) for c in index.clauses})
        return labels.get(clause_id)

    return resolve
