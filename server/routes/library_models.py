"""Response shapes of the document library API (server/routes/library.py), as knowledge/library builds them
(publish.py, preview.py, diff.py, store.py) and the console (server/static/library.js) reads them."""

from __future__ import annotations

import dataclasses
from typing import Any, get_type_hints

from pydantic import BaseModel, create_model

from knowledge.library import store
from knowledge.types import VersionNote


class DocumentMeta(BaseModel):
    """A document's metadata (knowledge/library/preview.py:_metadata)."""

    doc_id: str
    title: str
    kind: str
    region: str
    issuer: str
    doc_number: str
    dates: dict[str, str]
    status: str
    superseded_by: str
    layout: str
    source: str


class ListedDocument(DocumentMeta):
    """A document served: its metadata, clause and note counts, and the library entry it came from (None: shipped)."""

    clauses: int
    notes: int
    entry_id: int | None = None


def _model_of(cls: type, doc: str, exclude: frozenset[str] = frozenset()) -> type[BaseModel]:
    """A dataclass → a pydantic model with its fields (but `exclude`), so a field is declared once."""
    hints = get_type_hints(cls)
    fields = {f.name: (hints[f.name], _default(f)) for f in dataclasses.fields(cls) if f.name not in exclude}
    return create_model(cls.__name__, __doc__=doc, **fields)


def _default(f: dataclasses.Field) -> Any:
    """A dataclass field → its default for pydantic (a factory is called: the schema shows the value)."""
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return ... if f.default is dataclasses.MISSING else f.default


Entry = _model_of(store.Entry, "An uploaded file without its bytes (knowledge/library/store.py:Entry.to_dict).",
                  exclude=frozenset({"data"}))


class LibraryListing(BaseModel):
    version: int
    documents: list[ListedDocument]
    entries: list[Entry]


class LibraryChange(BaseModel):
    """One logged change to the library, newest first in the log."""

    id: int
    at: str
    who: str
    action: str
    entry_id: int
    summary: str
    before: dict[str, Any] | None = None  # {"state", "meta"} before it (None: it created the entry)
    after: dict[str, Any] | None = None
    undone_by: int | None = None


class TreeClause(BaseModel):
    clause_id: str
    text: str


class TreeNode(BaseModel):
    """A heading of a document's clause tree (knowledge/library/diff.py:tree)."""

    label: str
    children: list[TreeNode]
    clauses: list[TreeClause]


class PartOut(BaseModel):
    number: str
    title: str
    departments: list[str] = []
    items: list[PartOut] = []


class DocumentTree(BaseModel):
    """A served document (Document.to_dict) and its clause tree."""

    doc_number: str
    title: str
    issuer: str
    dates: dict[str, str] = {}
    source: str = ""
    addressee: str = ""
    parts: list[PartOut] = []
    notes: list[VersionNote] = []
    doc_id: str = ""
    layout: str = "notice"
    kind: str = ""
    region: str = ""
    status: str = ""
    superseded_by: str = ""
    history: str = ""
    copies: list[str] = []
    tree: list[TreeNode]


class ArticleChange(BaseModel):
    article: str
    before: str
    after: str


class Diff(BaseModel):
    """The clauses of the version in the library against its replacement (knowledge/library/diff.py:compare)."""

    added: list[ArticleChange]
    removed: list[ArticleChange]
    reworded: list[ArticleChange]
    unchanged: int


class ReplacedDocument(DocumentMeta):
    diff: Diff


class PreviewDocument(DocumentMeta):
    """A document parsed from an upload: metadata, clause count and tree, and the version it replaces if any."""

    clauses: int
    tree: list[TreeNode]
    replaces: ReplacedDocument | None = None  # absent when it replaces nothing


class Preview(BaseModel):
    ok: bool
    error: str
    documents: list[PreviewDocument]
    warnings: list[str]


class EntryPreview(Entry):
    """An entry with its preview against the library now served."""

    preview: Preview


class ChangeResult(BaseModel):
    """After a publish, withdraw, metadata edit or undo: the new library version, the change's id and the entry."""

    version: int
    change_id: int
    entry: Entry
