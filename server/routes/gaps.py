"""Knowledge gaps for staff (token required): what the assistant could not answer, grouped by meaning; editors
link a group to the clause that answers it or mark it "not covered" with a pointer (knowledge/links.py)."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from actions import curation, gaps
from knowledge.gaps import report
from knowledge.links import LINK, UNCOVERED, review_reason
from knowledge.texts import POINTER_EXAMPLE
from server.deps import EditorDep, RetrieverDep, StaffOnly
from server.privacy import mask
from server.routes.gaps_models import CurationChange, CurationId, CurationRemoved, CurationRow, GapReport

router = APIRouter(prefix="/api/staff", tags=["gaps"], dependencies=[StaffOnly])

Question = Annotated[str, Field(min_length=1, max_length=500)]


class CurationIn(BaseModel):
    kind: Literal["link", "uncovered"] = Field(description="link：关联条款；uncovered：标记为不在文件范围内")
    questions: Annotated[list[Question], Field(min_length=1, max_length=200, description="这一组群众的问题")]
    clause_id: Annotated[str, Field(max_length=200)] = ""
    pointer: Annotated[str, Field(max_length=300, description=f"助手改为告诉群众的去处，如：{POINTER_EXAMPLE}")] = ""


class CurationPatch(BaseModel):
    questions: Annotated[list[Question], Field(min_length=1, max_length=200)] | None = None
    clause_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    pointer: Annotated[str, Field(min_length=1, max_length=300)] | None = None


@router.get("/gaps", response_model=GapReport)
async def gap_groups(retriever: RetrieverDep, days: Annotated[int, Query(ge=1, le=90)] = 30) -> dict:
    """→ {"groups": gap groups of the last `days` days, newest first; "curations": links and marks with review flags}."""
    records = await asyncio.to_thread(gaps.records, time.time() - days * 86400)
    for r in records:
        r["text"] = mask(r["text"])  # masked at the entrance already; a record written another way is masked here
    groups = await asyncio.to_thread(report, records, retriever, curation.curator(), min(days, 30))
    return {"groups": groups, "curations": await asyncio.to_thread(_listed, retriever)}


@router.get("/curations", response_model=list[CurationRow])
async def curations(retriever: RetrieverDep) -> list[dict]:
    """→ every link and mark, newest change first, with its history and why it needs review ('' when fine)."""
    return await asyncio.to_thread(_listed, retriever)


@router.get("/curations/history", response_model=list[CurationChange])
def changes() -> list[dict]:
    """→ the latest changes to links and marks, removed ones included, newest first."""
    return curation.history()


@router.post("/curations", status_code=201, response_model=CurationId)
def create(body: CurationIn, account: EditorDep, retriever: RetrieverDep) -> dict:
    """A group's questions → a new link (to a clause of the current index) or "not covered" mark → its id."""
    questions = _questions(body.questions)
    if body.kind == LINK:
        clause = _clause(retriever, body.clause_id)
        new = curation.create(LINK, questions, account.name, clause_id=clause.clause_id, clause_text=clause.text)
    else:
        new = curation.create(UNCOVERED, questions, account.name, pointer=_pointer(body.pointer))
    return {"id": new}


@router.patch("/curations/{curation_id}", response_model=CurationId)
def edit(curation_id: int, body: CurationPatch, account: EditorDep, retriever: RetrieverDep) -> dict:
    """Change a link's clause (re-reviewed: its text is taken anew), a mark's pointer, or the questions; 404 if none."""
    current = {c["id"]: c for c in curation.listing()}.get(curation_id)
    if current is None:
        raise HTTPException(404, f"没有编号为 {curation_id} 的关联或标记。")
    changes: dict = {}
    if body.questions is not None:
        changes["questions"] = _questions(body.questions)
    if body.clause_id is not None:
        if current["kind"] != LINK:
            raise HTTPException(422, "“不在范围内”标记没有关联条款，请修改转介说明。")
        clause = _clause(retriever, body.clause_id)
        changes |= {"clause_id": clause.clause_id, "clause_text": clause.text}
    if body.pointer is not None:
        if current["kind"] != UNCOVERED:
            raise HTTPException(422, "条款关联没有转介说明，请修改关联条款。")
        changes["pointer"] = _pointer(body.pointer)
    curation.update(curation_id, account.name, **changes)
    return {"id": curation_id}


@router.delete("/curations/{curation_id}", response_model=CurationRemoved)
def delete(curation_id: int, account: EditorDep) -> dict:
    """Remove a link or mark (its history stays); 404 if none."""
    if not curation.remove(curation_id, account.name):
        raise HTTPException(404, f"没有编号为 {curation_id} 的关联或标记。")
    return {"id": curation_id, "removed": True}


def _listed(retriever) -> list[dict]:
    """→ the curations with the linked clause's citation data and a review reason against the index now serving."""
    index = retriever.index
    clauses = {c.clause_id: c for c in index.clauses}
    listed = []
    for row in curation.listing():
        clause = clauses.get(row["clause_id"])
        doc = index.by_id.get(clause.doc_id) if clause else None
        listed.append(row | {"review": review_reason(curation.as_curation(row), clauses),
                             "doc_title": doc.title if doc else "", "path": clause.path if clause else []})
    return listed


def _questions(questions: list[str]) -> list[str]:
    """Submitted questions → masked, stripped, without repeats (422 when none is left)."""
    kept = list(dict.fromkeys(mask(q.strip()) for q in questions if q.strip()))
    if not kept:
        raise HTTPException(422, "请至少保留一个问题。")
    return kept


def _pointer(pointer: str) -> str:
    """A "not covered" mark's pointer → stripped (422 when empty: the citizen must be told where to turn)."""
    if not pointer.strip():
        raise HTTPException(422, f"请填写转介说明，例如「{POINTER_EXAMPLE}」")
    return pointer.strip()


def _clause(retriever, clause_id: str):
    """A clause id → the clause in the index now serving (422 naming it when absent)."""
    for clause in retriever.index.clauses:
        doc = retriever.index.by_id.get(clause.doc_id)
        if clause.clause_id == clause_id and doc is not None and not doc.in_force:
            raise HTTPException(422, f"条款 {clause_id} 所在的《{doc.title}》已{doc.status[-2:]}，请关联现行有效的条款。")
        if clause.clause_id == clause_id:
            return clause
    raise HTTPException(422, f"现行文件库中没有编号为 {clause_id or '（空）'} 的条款，请从检索结果中选择。")
