"""PDF with a text layer → text: lines measured on each page, page furniture dropped, wrapped lines rejoined.

pdfplumber (on pdfminer.six) gives each printed line with its position; this module turns the
positions into `reflow.Line` facts (indented, reaching the right edge, centred) relative to the
document's text column, and leaves the decisions to `reflow`. Pages are read one at a time and
their cached objects dropped, so memory follows the largest page, not the document.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from dataclasses import dataclass

from knowledge.errors import SourceError
from knowledge.formats import reflow
from knowledge.formats.reflow import Line

_GAP = 1.5  # a vertical step this many times the usual line pitch separates paragraphs


@dataclass(frozen=True)
class _Printed:
    """A line as printed: text, horizontal extent, top edge and character size (points)."""

    text: str
    x0: float
    x1: float
    top: float
    size: float


def extract(data: bytes, source: str) -> str:
    """PDF bytes → text, one paragraph per line, paragraphs separated by a blank line."""
    pages = _printed_pages(data, source)
    if not any(pages):
        raise SourceError(source, None, "PDF has no text layer (a scanned image?): publish or save it with text, "
                          "or add the text version of the document")
    column = _column(pages)
    lines = reflow.drop_furniture([_lines(page, column) for page in pages], bare_numbers=True)
    return "\n\n".join(reflow.rejoin(lines)) + "\n"


def _printed_pages(data: bytes, source: str) -> list[list[_Printed]]:
    """PDF bytes → each page's printed lines; SourceError for a PDF that is encrypted or unreadable."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_read_page(page) for page in pdf.pages]
    except PdfminerException as exc:  # pdfplumber wraps pdfminer's error as its first argument
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise SourceError(source, None, "PDF is encrypted with a password: save an unprotected copy") from exc
        raise SourceError(source, None, f"not a readable PDF ({type(cause).__name__}: {cause})") from exc


def _read_page(page) -> list[_Printed]:
    """A pdfplumber page → its printed lines, top to bottom; the page's caches are freed afterwards."""
    try:
        return [
            _Printed(row["text"], row["x0"], row["x1"], row["top"], statistics.median(c["size"] for c in row["chars"]))
            # a space only for a gap over half a character: justified CJK lines are set with wider spacing
            for row in page.extract_text_lines(return_chars=True, strip=True, x_tolerance_ratio=0.5)
            if row["text"].strip()
        ]
    finally:
        page.close()


@dataclass(frozen=True)
class _Column:
    """The document's text column: left and right edges, usual character size and line pitch."""

    left: float
    right: float
    size: float
    pitch: float


def _column(pages: list[list[_Printed]]) -> _Column:
    """All printed lines → the body text column (most lines start at its left edge)."""
    rows = [row for page in pages for row in page]
    size = statistics.median(row.size for row in rows)
    # the left edge is where many lines start and none of the body starts further left; the most
    # common start would be the indent in a document of one-line paragraphs
    starts = Counter(round(row.x0) for row in rows)
    left = min([x for x, n in starts.items() if n >= max(3, 0.05 * len(rows))] or starts)
    ends = sorted(row.x1 for row in rows)
    steps = [b.top - a.top for page in pages for a, b in zip(page, page[1:]) if b.top > a.top]
    # the usual pitch is the step inside paragraphs: a low percentile, as one-line paragraphs add wider steps
    pitch = sorted(steps)[len(steps) // 10] if steps else size * 1.5
    return _Column(left, ends[int(len(ends) * 0.9)], size, pitch)


def _lines(page: list[_Printed], col: _Column) -> list[Line]:
    """A page's printed lines → reflow Lines, with a blank Line where a wider gap separates paragraphs."""
    lines: list[Line] = []
    for prev, row in zip([None, *page], page):
        if prev is not None and row.top - prev.top > _GAP * col.pitch:
            lines.append(Line(""))
        left, right = row.x0 - col.left, col.right - row.x1
        centred = min(left, right) > row.size and abs(left - right) < 0.5 * row.size
        wide = row.x1 - row.x0 > 0.5 * (col.right - col.left)
        # a ragged right edge, or a character that did not fit, leaves a full line up to 1.5 characters short
        lines.append(Line(row.text, indent=left > 0.5 * row.size, full=right < 1.5 * row.size, centred=centred and wide))
    return lines
