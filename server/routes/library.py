"""Document library API for the staff console (「文件库」): reading needs a staff account, every change the
editor role. Thin: knowledge/library does the work; this maps its outcomes to HTTP (409 when another editor
changed the library first, 422 when a file cannot be used) with Chinese messages."""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from knowledge.library.preview import UploadRefused
from knowledge.library.publish import Library, PublishFailed
from knowledge.library.store import Conflict
from server.deps import EditorDep, RetrieverDep, SettingsDep, StaffOnly
from server.routes.library_models import ChangeResult, DocumentTree, EntryPreview, LibraryChange, LibraryListing

PREFIX = "/api/library"
UPLOAD_PATH = f"{PREFIX}/uploads"
router = APIRouter(prefix=PREFIX, tags=["library"], dependencies=[StaffOnly])
_opening = threading.Lock()


def _library(request: Request) -> Library:
    """The app's Library, opened at first use over the retriever's settings and embedder."""
    with _opening:
        if getattr(request.app.state, "library", None) is None:
            retriever = request.app.state.retriever
            request.app.state.library = Library(retriever.settings, retriever.embedder)
    return request.app.state.library


LibraryDep = Annotated[Library, Depends(_library)]


class Change(BaseModel):
    base_version: Annotated[int, Field(ge=0, description="页面加载时的文件库版本号（/api/library 的 version）")]


class MetaChange(Change):
    status: str | None = Field(None, description="现行有效 / 已被修订 / 已废止")
    region: str | None = Field(None, description="全国、广东省、广州市……")
    superseded_by: str | None = Field(None, description="替代它的文件 doc_id")


@router.get("", response_model=LibraryListing)
def listing(library: LibraryDep, retriever: RetrieverDep) -> dict:
    """→ {"version", "documents" (every document served, shipped or uploaded), "entries" (uploads)}."""
    index = retriever.index
    return library.listing(index.documents, index.clauses)


@router.get("/changes", response_model=list[LibraryChange])
def changes(library: LibraryDep) -> list[dict]:
    """→ the change log, newest first: who, when, what, before/after, undone by which change."""
    return library.store.changes()


@router.get("/documents/{doc_id}/tree", response_model=DocumentTree)
def document_tree(doc_id: str, retriever: RetrieverDep) -> dict:
    """A served document → its metadata and clause tree; 404 when it is not served."""
    from knowledge.library.diff import tree

    index = retriever.index
    if doc_id not in index.by_id:
        raise HTTPException(404, f"没有编号为 {doc_id} 的文件。")
    return index.by_id[doc_id].to_dict() | {"tree": tree([c for c in index.clauses if c.doc_id == doc_id])}


@router.post("/uploads", response_model=EntryPreview, response_model_exclude_unset=True)
async def upload(request: Request, account: EditorDep, library: LibraryDep, retriever: RetrieverDep, settings: SettingsDep,
                 name: Annotated[str, Query(max_length=300, description="原文件名，如 某某条例.docx")]) -> dict:
    """A file's bytes (body) and name → a draft entry with its preview (metadata, clause tree, warnings,
    diff against the version it replaces); nothing is published."""
    data = await request.body()
    try:
        entry = await asyncio.to_thread(library.upload, name, data, account.name, settings.library_max_upload_mb)
    except UploadRefused as exc:
        raise HTTPException(422, str(exc)) from exc
    index = retriever.index
    return await asyncio.to_thread(library.entry_preview, entry.id, index.documents, index.clauses)


@router.get("/entries/{entry_id}", response_model=EntryPreview, response_model_exclude_unset=True)
def entry(entry_id: int, library: LibraryDep, retriever: RetrieverDep) -> dict:
    """An uploaded entry → its state and preview."""
    index = retriever.index
    return _run(library.entry_preview, entry_id, index.documents, index.clauses)


@router.post("/entries/{entry_id}/publish", response_model=ChangeResult)
def publish(entry_id: int, body: Change, account: EditorDep, library: LibraryDep, retriever: RetrieverDep) -> dict:
    """A draft → published: the index is rebuilt with it and swapped live (409 when the library changed)."""
    return _changed(retriever, _run(library.publish, entry_id, body.base_version, account.name))


@router.post("/entries/{entry_id}/withdraw", response_model=ChangeResult)
def withdraw(entry_id: int, body: Change, account: EditorDep, library: LibraryDep, retriever: RetrieverDep) -> dict:
    """A published entry → withdrawn and rebuilt without it."""
    return _changed(retriever, _run(library.withdraw, entry_id, body.base_version, account.name))


@router.post("/entries/{entry_id}/meta", response_model=ChangeResult)
def edit(entry_id: int, body: MetaChange, account: EditorDep, library: LibraryDep, retriever: RetrieverDep) -> dict:
    """New status / region / superseded_by for an entry (live at once when it is published)."""
    meta = body.model_dump(exclude={"base_version"}, exclude_none=True)
    return _changed(retriever, _run(library.edit, entry_id, meta, body.base_version, account.name))


@router.post("/changes/{change_id}/undo", response_model=ChangeResult)
def undo(change_id: int, body: Change, account: EditorDep, library: LibraryDep, retriever: RetrieverDep) -> dict:
    """A logged change → undone (the entry as it was before it), itself logged."""
    return _changed(retriever, _run(library.undo, change_id, body.base_version, account.name))


def _changed(retriever, result: dict) -> dict:
    """After a change: this process serves the new build before answering (the editor's next listing shows it;
    other processes follow within seconds)."""
    refresh = getattr(retriever, "refresh", None)
    if refresh is not None:
        refresh()
    return result


def _run(call, *args):
    """Run a library call, mapping its refusals to HTTP errors with their Chinese message."""
    try:
        return call(*args)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except Conflict as exc:
        raise HTTPException(409, str(exc)) from exc
    except (UploadRefused, PublishFailed) as exc:
        raise HTTPException(422, str(exc)) from exc
