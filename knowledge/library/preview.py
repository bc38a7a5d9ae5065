"""An upload → what it would add to the library, with nothing published: file-name and size checks, the
parsed documents (metadata, clause tree, warnings), why it cannot be used, and — when it is a new version
of a document already in the library — what changed article by article."""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import PurePath

from knowledge import formats, layouts, sidecar
from knowledge.errors import SourceError
from knowledge.library.diff import compare, tree
from knowledge.library.messages import explain
from knowledge.types import Clause, Document
from knowledge.versions import title_key

MAX_NAME_CHARS = 120
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
EDITABLE = ("status", "region", "superseded_by")


class UploadRefused(ValueError):
    """An upload refused before it is parsed or stored; the message is Chinese, for the staff member."""


def check_name(name: str) -> str:
    """An uploaded file's name → the name (a display label only: files are stored under their entry id);
    UploadRefused for a path, control characters, a hidden name or an unsupported format."""
    name = (name or "").strip()
    if not name:
        raise UploadRefused("请提供文件名。")
    if _UNSAFE_NAME.search(name) or name.startswith(".") or ".." in name or len(name) > MAX_NAME_CHARS:
        raise UploadRefused(f"文件名不合法：不能包含路径（/、\\、..）、控制字符或特殊符号，且不超过 {MAX_NAME_CHARS} 个字符。")
    suffix = PurePath(name).suffix.lower()
    if suffix not in formats.SUFFIXES:
        raise UploadRefused(f"不支持 {suffix or '无扩展名'} 文件，请上传 {'、'.join(formats.SUFFIXES)} 文件。")
    return name


def check_size(data: bytes, limit_mb: int) -> None:
    """UploadRefused when the upload is empty or over the size setting."""
    if not data:
        raise UploadRefused("文件是空的，请重新选择文件。")
    if len(data) > limit_mb * 2**20:
        raise UploadRefused(f"文件超过大小上限（{limit_mb} MB），请压缩或拆分后再上传。")


def check_meta(meta: dict) -> dict:
    """Metadata overrides from an editor → the validated ones (sidecar rules); UploadRefused naming the key."""
    unknown = set(meta) - set(EDITABLE)
    if unknown:
        raise UploadRefused(f"只能修改状态、地区和替代文件（status、region、superseded_by），不能修改 {'、'.join(sorted(unknown))}。")
    clean = {k: v.strip() for k, v in meta.items() if isinstance(v, str) and v.strip()}
    try:
        sidecar.DocumentMeta.model_validate(clean)
    except ValueError:
        raise UploadRefused(f"状态只能是 {'、'.join(sidecar.STATUSES)} 之一。") from None
    return clean


def parse_upload(name: str, data: bytes, meta: dict) -> tuple[list[Document], list[Clause], list[str]]:
    """An upload's bytes → (documents, clauses, warnings) as a build would read them, overrides applied;
    SourceError when it cannot be read or placed."""
    with _captured_warnings() as warnings:
        text = formats.decode(data, name)
    docs, clauses, parse_warnings = layouts.parse(text, name)
    if meta:
        sidecar.apply(docs[0], sidecar.DocumentMeta.model_validate(meta))
    return docs, clauses, warnings + parse_warnings


def preview(name: str, data: bytes, meta: dict, library: list[Document], library_clauses: list[Clause]) -> dict:
    """An upload and the library now served → {"ok", "error", "documents": [metadata + tree], "warnings"}."""
    try:
        docs, clauses, warnings = parse_upload(name, data, meta)
    except SourceError as exc:
        return {"ok": False, "error": explain(exc), "documents": [], "warnings": []}
    out = []
    for doc in docs:
        own = [c for c in clauses if c.doc_id == doc.doc_id]
        info = _metadata(doc) | {"clauses": len(own), "tree": tree(own)}
        earlier = replaced(doc, library)
        if earlier is not None:
            info["replaces"] = _metadata(earlier) | {
                "diff": compare([c for c in library_clauses if c.doc_id == earlier.doc_id], own)}
        out.append(info)
    return {"ok": True, "error": "", "documents": out, "warnings": warnings}


def replaced(doc: Document, library: list[Document]) -> Document | None:
    """A parsed document → the one of the library it is another version of (same title, in force first), or None."""
    same = [d for d in library if title_key(d.title) == title_key(doc.title)]
    return max(same, key=lambda d: (d.in_force, d.version_date), default=None)


def _metadata(doc: Document) -> dict:
    return {"doc_id": doc.doc_id, "title": doc.title, "kind": doc.kind, "region": doc.region, "issuer": doc.issuer,
            "doc_number": doc.doc_number, "dates": doc.dates, "status": doc.status, "superseded_by": doc.superseded_by,
            "layout": doc.layout, "source": doc.source}


@contextmanager
def _captured_warnings():
    """Collect what the format readers log as warnings (Word's automatic numbering …) → a list of messages."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("knowledge.formats")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
