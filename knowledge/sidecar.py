"""Sidecars: an optional NAME.meta.yaml next to a source → metadata the text cannot tell, validated.

Keys (all optional): title, kind, issuer, doc_number, region, status, superseded_by, and dates
as {event: YYYY-MM-DD} with events 通过/修订/修正/批准/公布/发布/施行/成文/印发. A sidecar
describes the first document of its source file and overrides what was read from the text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.errors import SourceError
from knowledge.types import DATE_EVENTS, KINDS, STATUSES, Document

SUFFIX = ".meta.yaml"


class DocumentMeta(BaseModel):
    """What a sidecar may say about a document."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    kind: Literal[KINDS] | None = None  # type: ignore[valid-type]
    issuer: str | None = None
    doc_number: str | None = None
    region: str | None = None
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    superseded_by: str | None = None
    dates: dict[Literal[DATE_EVENTS], dt.date] = {}  # type: ignore[valid-type]


def sidecar_path(source: Path) -> Path:
    """'…/就业促进法-2015-04-24.txt' → '…/就业促进法-2015-04-24.meta.yaml'."""
    return source.with_name(source.stem + SUFFIX)


def load_meta(source: Path) -> DocumentMeta | None:
    """A source file → its sidecar's validated metadata, None without one; errors name file, line and key."""
    path = sidecar_path(source)
    if not path.is_file():
        return None
    text = path.read_text("utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.load(text, Loader=yaml.BaseLoader) or {}  # all scalars as strings: pydantic checks dates
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(str(path), mark.line + 1 if mark else None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SourceError(str(path), 1, "expected a mapping of keys (title, kind, dates, …)")
    try:
        return DocumentMeta.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in err["loc"])
        raise SourceError(str(path), _line_of(node, err["loc"]), f"key {key!r}: {err['msg']}") from exc


def _line_of(node, loc: tuple) -> int | None:
    """A YAML node tree and an error location → the 1-based line of the key at fault."""
    line = None
    for part in loc:
        if not isinstance(node, yaml.MappingNode):
            break
        match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
        if match is None:
            break
        line, node = match[0].start_mark.line + 1, match[1]
    return line


def apply(doc: Document, meta: DocumentMeta) -> set[str]:
    """Sidecar metadata → written onto doc; → the names of the fields it set."""
    fields = meta.model_dump(exclude_unset=True, exclude={"dates"})
    for name, value in fields.items():
        setattr(doc, name, value)
    doc.dates.update({event: day.isoformat() for event, day in meta.dates.items()})
    return set(fields) | ({"dates"} if meta.dates else set())
