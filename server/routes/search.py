"""Search routes: a query → cited clauses (the knowledge engine's JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from knowledge.benefits import canonical_group, default_lexicon
from knowledge.errors import QueryError
from server.deps import RetrieverDep

router = APIRouter(prefix="/api", tags=["search"])


class SearchRequest(BaseModel):
    query: Annotated[str, Field(max_length=2000, description="公民或坐席的问题")]
    top_k: Annotated[int, Field(ge=1, le=20)] = 5
    doc_id: str | None = Field(None, description="只看这一份文件（/api/documents 的 doc_id）")
    include_superseded: bool = Field(False, description="坐席查询：也检索已被修订或废止的旧版本")
    group: str | None = Field(None, description="只看提到该人群的条款，如 高校毕业生")


@router.post("/search")
def search(body: SearchRequest, retriever: RetrieverDep) -> dict:
    """{"query", "top_k", "doc_id"?, "group"?, "include_superseded"?} → {"query", "answerable", "results": [...]}."""
    filtered = body.doc_id or body.group
    try:
        result = retriever.search(body.query, 50 if filtered else body.top_k, include_superseded=body.include_superseded)
    except QueryError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    out = result.to_dict()
    if body.doc_id:
        out["results"] = [r for r in out["results"] if r["doc_id"] == body.doc_id]
    if body.group:
        terms = group_terms(body.group, retriever.lexicon.expand(body.group))
        out["results"] = [r for r in out["results"] if any(t in r["text"] + "".join(r["path"]) for t in terms)]
    out["results"] = out["results"][: body.top_k]
    return out


def group_terms(group: str, synonyms: list[str]) -> list[str]:
    """A group name ('应届生') and its policy synonyms → the words the documents use for that group."""
    canonical = next(filter(None, map(canonical_group, [group, *synonyms])), None)
    return [canonical, *default_lexicon().groups[canonical]] if canonical else [group]


@router.get("/clauses/{clause_id}")
def clause(clause_id: str, retriever: RetrieverDep) -> dict:
    """A clause id → the clause, its document title and dates, and its whole item as context; or 404."""
    index = retriever.index
    for c in index.clauses:
        if c.clause_id == clause_id:
            doc = index.by_id[c.doc_id]
            context = [x.to_dict() for x in index.clauses if x.doc_id == c.doc_id and x.path == c.path]
            return c.to_dict() | {"doc_title": doc.title, "doc_dates": doc.dates, "doc_status": doc.status,
                                  "superseded_by": doc.superseded_by, "context": context}
    raise HTTPException(status_code=404, detail=f"没有编号为 {clause_id} 的条款。")


@router.get("/documents")
def documents(retriever: RetrieverDep) -> list[dict]:
    """→ every document with its parts, dates and version notes."""
    return [d.to_dict() for d in retriever.index.documents]
