"""Plain text (.txt, .md): bytes in UTF-8, GBK or GB18030 → text; copies out of a PDF reflowed.

A text file is returned as it is, less printed page numbers and running headers. Text that is
hard-wrapped at a fixed width (copied out of a PDF) has its wrapped lines rejoined into one
paragraph per line, paragraphs separated by a blank line, as the shipped sources are laid out.
"""

from __future__ import annotations

from knowledge.formats import charset, reflow
from knowledge.formats.reflow import Line

_MIN_LINES = 8  # fewer lines say nothing about a wrap width
_NEAR = 0.85  # a line this close to the wrap width may have been wrapped
_INDENT = ("\u3000", "  ", "\t")


def extract(data: bytes, source: str) -> str:
    """Bytes of a .txt/.md file → its text (page furniture dropped, hard wraps rejoined)."""
    text = charset.decode(data, source)
    width = wrap_width(text.split("\n"))
    pages = [[_line(raw, width) for raw in page] for page in _pages(text)]
    lines = reflow.drop_furniture(pages)
    if width:
        return "\n\n".join(reflow.rejoin(lines)) + "\n"
    if sum(map(len, pages)) == len(lines):
        return text
    return "\n".join(line.text for line in lines) + "\n"


def wrap_width(lines: list[str]) -> int | None:
    """Lines of a text → the width (in half-width cells) it is hard-wrapped at, or None when it is not.

    In wrapped text most lines are nearly as wide as the widest ordinary line and next to none is
    wider; in text with one paragraph per line the widths scatter.
    """
    widths = sorted(reflow.display_width(raw.rstrip()) for raw in lines if raw.strip())
    if len(widths) < _MIN_LINES:
        return None
    width = widths[int(len(widths) * 0.9)]
    near = sum(_NEAR * width <= w <= width + 2 for w in widths)
    wider = sum(w > width + 2 for w in widths)
    return width if width >= 20 and near >= 0.35 * len(widths) and wider <= 0.03 * len(widths) else None


def _pages(text: str) -> list[list[str]]:
    """Text → pages of lines: a form feed or a printed page number ends a page."""
    pages: list[list[str]] = [[]]
    for raw in text.split("\n"):
        for i, piece in enumerate(raw.split("\f")):
            if i:
                pages.append([])
            pages[-1].append(piece)
            if reflow.is_page_number(piece):
                pages.append([])
    return [page for page in pages if page]


def _line(raw: str, width: int | None) -> Line:
    """A raw line (+ the wrap width) → a Line: indented when it starts with spaces, full when near the width."""
    full = bool(width) and reflow.display_width(raw.rstrip()) >= _NEAR * width
    return Line(raw, indent=raw.startswith(_INDENT), full=full)
