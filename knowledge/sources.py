"""Sources: a folder of policy files → one Corpus (documents parsed, copies aligned, versions and repeals linked).

Each file's layout is detected from its text (knowledge.layouts). A parsed document that repeats
one already parsed (same 文号, or same title and version date) makes its file a copy; a text no
layout places is a copy when it names known 文号 or opens with a known title, and is otherwise
reported and left out (fatal with strict=True). Byte-identical files are skipped, so nothing is
ever indexed twice. A sidecar NAME.meta.yaml completes the first document of its file; NAME.questions.yaml
gives its clauses the questions they answer (knowledge/asked.py).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from knowledge import asked as asked_questions
from knowledge import formats, layouts, sidecar
from knowledge.align import align_copy, copy_doc_numbers
from knowledge.errors import SourceError, UnplaceableSource
from knowledge.normalize import match_key
from knowledge.repeals import link_repeals
from knowledge.types import Clause, Corpus, Document, FileReport
from knowledge.versions import link_versions, same_version, title_key

log = logging.getLogger(__name__)
SOURCE_SUFFIXES = formats.SUFFIXES


def source_files(folder: Path, extra: Path | None = None) -> list[Path]:
    """A sources folder (and the library's folder of published files, when it exists) → their policy files,
    sorted by name."""
    if not folder.is_dir():
        raise SourceError(str(folder), None, "sources folder not found (setting KNOWLEDGE_SOURCES_DIR)")
    folders = [folder] + ([extra] if extra is not None and extra.is_dir() else [])
    files = sorted((p for f in folders for p in f.iterdir() if p.suffix in SOURCE_SUFFIXES and p.is_file()), key=lambda p: p.name)
    if not files:
        raise SourceError(str(folder), None, f"no policy files ({', '.join(SOURCE_SUFFIXES)}) in the folder")
    return files


def read_text(path: Path) -> str:
    """A source file of any supported format → its text; SourceError naming the file (and line) when unreadable."""
    return formats.read(path)


@dataclass
class _Library:
    """The corpus being assembled."""

    documents: list[Document]
    clauses: list[Clause]
    reports: dict[str, FileReport]
    fixed_status: set[str]  # doc ids whose status a sidecar set
    asked: dict[str, list[str]]  # clause_id → the citizens' questions it answers (knowledge/asked.py)


def load_corpus(folder: Path, strict: bool = False, extra: Path | None = None) -> Corpus:
    """A sources folder (plus the library's published files in `extra`) → the Corpus of all documents and
    clauses, deterministic for the same bytes."""
    lib = _Library([], [], {}, set(), {})
    copies: list[tuple[Path, str]] = []
    for path, text in _distinct_texts(source_files(folder, extra), lib.reports, strict):
        try:
            if not _add_parsed(path, text, lib):
                copies.append((path, text))
        except UnplaceableSource as exc:
            _leave_out(path, exc, lib, strict)
    for source, notes in link_versions(lib.documents, lib.fixed_status).items():
        lib.reports[source].warnings.extend(notes)
    repeals, warnings = link_repeals(lib.documents, lib.clauses, lib.fixed_status)
    for source, notes in warnings.items():
        lib.reports[source].warnings.extend(notes)
    for path, text in copies:
        try:
            lib.clauses.extend(_align(path, text, lib))
        except UnplaceableSource as exc:
            _leave_out(path, exc, lib, strict)
    reports = [lib.reports[p.name] for p in source_files(folder, extra)]
    skipped = [r.source for r in reports if r.role == "duplicate"]
    return Corpus(lib.documents, lib.clauses, skipped, reports, repeals, lib.asked)


def _distinct_texts(paths: list[Path], reports: dict[str, FileReport], strict: bool) -> list[tuple[Path, str]]:
    """Source files → (path, text) of each distinct content; repeats reported as duplicates, unreadable files
    (empty, scanned, encrypted, over the size limit …) reported and left out (fatal when strict)."""
    out, digests = [], {}
    for path in paths:
        try:
            text = read_text(path)
        except SourceError as exc:
            if strict:
                raise
            log.warning("%s: left out", exc)
            reports[path.name] = FileReport(path.name, "left out", warnings=[str(exc)])
            continue
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in digests:
            log.warning("%s: same content as %s, skipped", path.name, digests[digest])
            reports[path.name] = FileReport(path.name, "duplicate", detail=f"same content as {digests[digest]}")
            continue
        digests[digest] = path.name
        out.append((path, text))
    return out


def _add_parsed(path: Path, text: str, lib: _Library) -> bool:
    """A file in a known layout → its documents and clauses added; False when it repeats known documents (a copy)."""
    layout = layouts.choose(text)
    if layout is None or (layout.NAME == "notice" and _all_known(text, lib.documents)):
        return False
    docs, clauses, warnings = layouts.parse(text, path.name)
    meta = sidecar.load_meta(path)
    if meta is not None:
        _apply_sidecar(docs[0], clauses, meta, lib)
    if any(same_version(d, known) for d in docs for known in lib.documents):
        return False
    for doc in docs:
        _unique_id(doc, clauses, lib.documents)
    lib.documents.extend(docs)
    lib.clauses.extend(clauses)
    asked, notes = asked_questions.load(path, clauses)
    lib.asked.update(asked)
    lib.reports[path.name] = FileReport(path.name, "parsed", layout.NAME, [d.doc_id for d in docs], len(clauses), warnings + notes)
    return True


def _apply_sidecar(doc: Document, clauses: list[Clause], meta: sidecar.DocumentMeta, lib: _Library) -> None:
    """Sidecar metadata → onto the document; a law's id follows its (possibly new) version date."""
    fields = sidecar.apply(doc, meta)
    if doc.layout == layouts.law.NAME and fields & {"dates", "title"}:
        _rekey(doc, clauses, layouts.law.document_id(doc))
    if "status" in fields:
        lib.fixed_status.add(doc.doc_id)


def _unique_id(doc: Document, clauses: list[Clause], known: list[Document]) -> None:
    """Give doc an id no other document has (a numeric suffix on collision)."""
    taken = {d.doc_id for d in known}
    new, n = doc.doc_id, 1
    while new in taken:
        n += 1
        new = f"{doc.doc_id}-{n}"
    _rekey(doc, clauses, new)


def _rekey(doc: Document, clauses: list[Clause], new_id: str) -> None:
    """Rename a document's id in it and in its clauses' ids."""
    old, doc.doc_id = doc.doc_id, new_id
    for c in clauses:
        if c.doc_id == old:
            c.doc_id, c.clause_id = new_id, new_id + c.clause_id[len(old):]


def _leave_out(path: Path, exc: UnplaceableSource, lib: _Library, strict: bool) -> None:
    """A file no layout can place → reported (file, line, why) and left out; strict makes it fatal."""
    if strict:
        raise exc
    log.warning("%s: left out", exc)
    lib.reports[path.name] = FileReport(path.name, "left out", warnings=[str(exc)])


def _all_known(text: str, documents: list[Document]) -> bool:
    """True when every 文号 a structured text carries already belongs to a parsed document."""
    known = {d.doc_number for d in documents if d.doc_number}
    numbers = copy_doc_numbers(text)
    return bool(numbers) and set(numbers) <= known


def _family(text: str, documents: list[Document]) -> list[Document]:
    """A copy's text → the documents it copies: those of the file holding its 文号, or the one whose title opens it."""
    numbers = copy_doc_numbers(text)
    if numbers:
        sources = {d.source for d in documents if d.doc_number and d.doc_number in numbers}
        return [d for d in documents if d.source in sources]
    head = match_key(text[:400])
    titled = [d for d in documents if head.startswith(match_key(d.title)) or title_key(d.title) and head.startswith(title_key(d.title))]
    if not titled:
        return []
    version = next((d for d in titled if d.history and match_key(d.history) in head), None)
    return [version or max(titled, key=lambda d: (d.in_force, d.version_date))]


def _align(path: Path, text: str, lib: _Library) -> list[Clause]:
    """A copy → its flagged extra clauses, after checking it copies a known document."""
    family = _family(text, lib.documents)
    if not family:
        numbers = copy_doc_numbers(text)
        if not numbers:
            raise UnplaceableSource(path.name, layouts.first_line(text), layouts.WHY_UNPLACED)
        raise UnplaceableSource(path.name, None, f"copy of an unknown document (文号 found: {'、'.join(numbers)}); add its official text first")
    ids = {d.doc_id for d in family}
    own = [c for c in lib.clauses if c.doc_id in ids]
    extras, report = align_copy(text, path.name, family, own)
    for doc in family[:1]:
        doc.copies.append(path.name)
    log.info("%s: %d sentences match, %d wording notes, %d only in the copy, %d missing from it",
             path.name, report.exact, report.variants, report.extras, report.missing)
    detail = (f"copy of {family[0].doc_id}: {report.variants} wording differences, {report.extras} sentences only in the copy, "
              f"{report.missing} official sentences missing")
    lib.reports[path.name] = FileReport(path.name, "copy", "", [family[0].doc_id], len(extras), detail=detail)
    return extras
