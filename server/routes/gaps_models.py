"""Response shapes of the knowledge-gaps API (server/routes/gaps.py), as knowledge/gaps.py and
actions/curation.py build them and the console (server/static/gaps.js) reads them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class GapQuestion(BaseModel):
    text: str
    at: float
    kinds: list[str]  # refused, feedback, handoff
    channel: str
    clause_ids: list[str] = []


class GapClause(BaseModel):
    """A clause retrieval found for the group's questions, with how many of them and how well."""

    clause_id: str
    doc_title: str
    path: list[str]
    text: str
    score: float
    questions: int


class TrendDay(BaseModel):
    day: str  # YYYY-MM-DD
    count: int


class GapGroup(BaseModel):
    """Unanswered questions grouped by meaning (knowledge/gaps.py:report)."""

    key: str
    label: str
    size: int
    newest: float
    kinds: dict[str, int]
    trend: list[TrendDay]
    questions: list[GapQuestion]
    texts: list[str]
    clauses: list[GapClause]
    curation_id: int | None = None


class CurationEvent(BaseModel):
    action: str  # created, updated, removed
    staff: str
    at: float
    detail: dict[str, Any]


class CurationChange(CurationEvent):
    curation_id: int


class CurationRow(BaseModel):
    """A link to a clause or a "not covered" mark, its log, and why it needs review ('' when fine)."""

    id: int
    kind: str  # link, uncovered
    questions: list[str]
    clause_id: str
    clause_text: str
    pointer: str
    created: float
    created_by: str
    updated: float
    updated_by: str
    history: list[CurationEvent]
    review: str
    doc_title: str
    path: list[str]


class GapReport(BaseModel):
    groups: list[GapGroup]
    curations: list[CurationRow]


class CurationId(BaseModel):
    id: int


class CurationRemoved(CurationId):
    removed: bool
