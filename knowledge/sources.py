"""Sources: a folder of policy files → one Corpus (official documents parsed, copies aligned).

Official layouts (a 文号 on a line of its own) are parsed first, copies after; a file whose
bytes were already read is skipped, and a structured file whose documents are all known is
aligned as a copy, so nothing is ever indexed twice.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from knowledge import formats
from knowledge.align import align_copy, copy_doc_numbers
from knowledge.errors import SourceError
from knowledge.parse import has_structure, parse_official
from knowledge.types import Clause, Corpus, Document

log = logging.getLogger(__name__)
SOURCE_SUFFIXES = formats.SUFFIXES


def source_files(folder: Path) -> list[Path]:
    """A sources folder → its policy files, sorted by name."""
    if not folder.is_dir():
        raise SourceError(str(folder), None, "sources folder not found (setting KNOWLEDGE_SOURCES_DIR)")
    files = sorted(p for p in folder.iterdir() if p.suffix in SOURCE_SUFFIXES and p.is_file())
    if not files:
        raise SourceError(str(folder), None, f"no policy files ({', '.join(SOURCE_SUFFIXES)}) in the folder")
    return files


def read_text(path: Path) -> str:
    """A source file of any supported format → its text; SourceError naming the file (and line) when unreadable."""
    return formats.read(path)


def load_corpus(folder: Path) -> Corpus:
    """A sources folder → the Corpus of all documents and clauses, deterministic for the same bytes."""
    texts, skipped, digests = [], [], {}
    for path in source_files(folder):
        text = read_text(path)
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in digests:
            log.warning("%s: same content as %s, skipped", path.name, digests[digest])
            skipped.append(path.name)
            continue
        digests[digest] = path.name
        texts.append((path, text))
    documents: list[Document] = []
    clauses: list[Clause] = []
    copies = []
    for path, text in texts:
        if has_structure(text) and not _all_known(text, documents):
            docs, doc_clauses = parse_official(text, path.name)
            documents.extend(docs)
            clauses.extend(doc_clauses)
        else:
            copies.append((path, text))
    for path, text in copies:
        clauses.extend(_align(path, text, documents, clauses))
    return Corpus(documents, clauses, skipped)


def _all_known(text: str, documents: list[Document]) -> bool:
    """True when every 文号 a structured text carries already belongs to a parsed document."""
    known = {d.doc_number for d in documents}
    numbers = copy_doc_numbers(text)
    return bool(numbers) and set(numbers) <= known


def _align(path: Path, text: str, documents: list[Document], clauses: list[Clause]) -> list[Clause]:
    """A copy → its flagged extra clauses, after checking it copies a known document."""
    numbers = copy_doc_numbers(text)
    family = [d for d in documents if d.source in {x.source for x in documents if x.doc_number in numbers}]
    if not family:
        found = "、".join(numbers) or "none"
        raise SourceError(str(path), None, f"copy of an unknown document (文号 found: {found}); add its official text first")
    own = [c for c in clauses if c.doc_number in {d.doc_number for d in family}]
    extras, report = align_copy(text, path.name, family, own)
    log.info("%s: %d sentences match, %d wording notes, %d only in the copy, %d missing from it",
             path.name, report.exact, report.variants, report.extras, report.missing)
    return extras
