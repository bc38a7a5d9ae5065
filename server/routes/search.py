"""Search routes: a query → cited clauses (the knowledge engine's JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from knowledge.errors import QueryError

router = APIRouter(prefix="/api", tags=["search"])


class SearchRequest(BaseModel):
    query: Annotated[str, Field(max_length=2000, description="公民或坐席的问题")]
    top_k: Annotated[int, Field(ge=1, le=20)] = 5
    doc_number: str | None = None


@router.post("/search")
def search(body: SearchRequest, request: Request) -> dict:
    """{"query", "top_k", "doc_number"?} → {"query", "answerable", "results": [...]}."""
    retriever = request.app.state.retriever
    try:
        result = retriever.search(body.query, 50 if body.doc_number else body.top_k)
    except QueryError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    out = result.to_dict()
    if body.doc_number:
        out["results"] = [r for r in out["results"] if r["doc_number"] == body.doc_number]
    out["results"] = out["results"][: body.top_k]
    return out


@router.get("/clauses/{clause_id}")
def clause(clause_id: str, request: Request) -> dict:
    """A clause id → the clause with its document title, or 404."""
    index = request.app.state.retriever.index
    for c in index.clauses:
        if c.clause_id == clause_id:
            return c.to_dict() | {"doc_title": index.doc_titles.get(c.doc_number, "")}
    raise HTTPException(status_code=404, detail=f"没有编号为 {clause_id} 的条款。")


@router.get("/documents")
def documents(request: Request) -> list[dict]:
    """→ every document with its parts, dates and version notes."""
    return [d.to_dict() for d in request.app.state.retriever.index.documents]
