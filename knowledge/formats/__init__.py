"""Source formats: a policy file of any supported format → its plain text, lines in reading order.

One module per format, each `extract(data: bytes, source: str) -> str`; this registry picks one
by suffix, refuses files over the size setting before reading them, and turns every failure
into a `SourceError` naming the file, so a caller can report the file and go on with the rest.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.errors import SourceError
from knowledge.formats import docx, html, pdf, text

READERS = {
    ".txt": text.extract,
    ".md": text.extract,
    ".html": html.extract,
    ".htm": html.extract,
    ".docx": docx.extract,
    ".pdf": pdf.extract,
}
SUFFIXES = tuple(READERS)


def read(path: Path) -> str:
    """A source file → its plain text; SourceError naming the file (and line) for anything unreadable."""
    from knowledge.config import KnowledgeSettings, env_name

    source = str(path)
    limit_mb = KnowledgeSettings().max_source_mb
    try:
        size = path.stat().st_size
        if size > limit_mb * 2**20:
            raise SourceError(source, None, f"file is {size / 2**20:.1f} MB, over the limit of {limit_mb} MB "
                              f"(setting {env_name('max_source_mb')})")
        data = path.read_bytes() if path.suffix.lower() in READERS else b""
    except OSError as exc:
        raise SourceError(source, None, f"cannot read: {exc.strerror}") from exc
    return decode(data, source)


def decode(data: bytes, source: str) -> str:
    """A file's bytes and its name (the suffix chooses the format) → its plain text; SourceError naming it."""
    suffix = Path(source).suffix
    reader = READERS.get(suffix.lower())
    if reader is None:
        raise SourceError(source, None, f"unsupported format {suffix or '(no suffix)'}: use one of {', '.join(SUFFIXES)}")
    if not data.strip():
        raise SourceError(source, None, "file is empty")
    try:
        result = reader(data, source)
    except SourceError:
        raise
    except Exception as exc:  # a library's own failure on a malformed file must not end the build
        raise SourceError(source, None, f"cannot extract text ({type(exc).__name__}: {exc})") from exc
    if not result.strip():
        raise SourceError(source, None, "no text found in the file")
    return result
