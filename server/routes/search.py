"""Search routes: a query → cited clauses (the knowledge engine's JSON)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from knowledge import vocabulary
from knowledge.benefits import canonical_group, default_lexicon
from knowledge.contract import ClauseDetail, SearchResponse, VocabularyResponse
from knowledge.errors import QueryError
from knowledge.index import clause_words_text
from knowledge.types import Document
from server.deps import RetrieverDep

router = APIRouter(prefix="/api", tags=["search"])


class SearchRequest(BaseModel):
    query: Annotated[str, Field(max_length=2000, description="公民或坐席的问题")]
    top_k: Annotated[int, Field(ge=1, le=20)] = 5
    doc_id: str | None = Field(None, description="只看这一份文件（/api/documents 的 doc_id）")
    include_superseded: bool = Field(False, description="坐席查询：也检索已被修订或废止的旧版本")
    group: str | None = Field(None, description="只看提到该人群的条款，如 高校毕业生")


@router.post("/search", response_model=SearchResponse, response_model_exclude_none=True)
def search(body: SearchRequest, retriever: RetrieverDep) -> dict:
    """{"query", "top_k", "doc_id"?, "group"?, "include_superseded"?} → SearchResponse {"query", "answerable", "results": [...]}."""
    filtered = body.doc_id or body.group
    try:
        result = retriever.search(body.query, 50 if filtered else body.top_k, include_superseded=body.include_superseded)
    except QueryError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    hits = result.hits
    if body.doc_id:
        hits = [h for h in hits if h.clause.doc_id == body.doc_id]
    if body.group:
        terms = group_terms(body.group, retriever.lexicon.expand(body.group))
        hits = [h for h in hits if any(t in clause_words_text(h.clause, h.doc_title) for t in terms)]
    return replace(result, hits=hits[: body.top_k]).to_dict()


def group_terms(group: str, synonyms: list[str]) -> list[str]:
    """A group name ('应届生') and its policy synonyms → the words the documents use for that group."""
    canonical = next(filter(None, map(canonical_group, [group, *synonyms])), None)
    return [canonical, *default_lexicon().groups[canonical]] if canonical else [group]


@router.get("/clauses/{clause_id}", response_model=ClauseDetail)
def clause(clause_id: str, retriever: RetrieverDep) -> dict:
    """A clause id → the clause, its document title and dates, its whole item as context and the questions it
    answers (asked); or 404."""
    index = retriever.index
    for n, c in enumerate(index.clauses):
        if c.clause_id == clause_id:
            doc = index.by_id[c.doc_id]
            context = [x.to_dict() for x in index.clauses if x.doc_id == c.doc_id and x.path == c.path]
            return c.to_dict() | {"doc_title": doc.title, "doc_dates": doc.dates, "doc_status": doc.status,
                                  "superseded_by": doc.superseded_by, "context": context,
                                  "asked": [q for i, q in index.asked if i == n]}
    raise HTTPException(status_code=404, detail=f"没有编号为 {clause_id} 的条款。")


@router.get("/vocabulary", response_model=VocabularyResponse)
def vocabulary_groups() -> dict:
    """→ the citizen groups the search filter knows (the staff console's 人群 select)."""
    return {"groups": list(vocabulary.default().groups)}


@router.get("/documents", response_model=list[Document])
def documents(retriever: RetrieverDep) -> list[dict]:
    """→ every document with its parts, dates and version notes."""
    return [d.to_dict() for d in retriever.index.documents]
