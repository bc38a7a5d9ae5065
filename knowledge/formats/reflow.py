"""Page layout → the document's own paragraphs: page furniture dropped, lines wrapped inside a sentence rejoined.

Shared by the PDF reader (lines measured on the page) and the text reader (text copied out of a
PDF, hard-wrapped at a fixed width). Both describe each printed line as a `Line`; this module
decides what is a running header, a page number or a wrapped line, so both formats behave alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# Lines that open a unit of their own and so never continue the previous line. An article or
# chapter heading is followed by a space (「第二十七条　国家…」); a reference wrapped to a line
# start (「第二十七条规定的…」) is not, and is rejoined.
HEADING = re.compile(
    r"^(第[一二三四五六七八九十百千零〇\d]+[编章节条](\s|$)|[（(][一二三四五六七八九十]{1,4}[)）]|[一二三四五六七八九十]{1,3}、"
    r"|附件|附：|目\s*录$)"
)
# Page numbers as Chinese official documents print them: 「— 3 —」「- 3 -」「第 3 页」「第3页 共12页」「3/12」.
PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－―−]+\s*\d{1,4}\s*[—–\-－―−]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
# Marks that may close a paragraph. Not 「；」: items close with it, but the next item opens with
# （二）, and a line wrapped after a semicolon inside a sentence is common.
_PARAGRAPH_END = tuple("。！？：…”’」』）)】!?:")
_OPENING = tuple("（(〔[【")
_CLOSING = tuple("）)〕]】」』”’。，、；：！？")
_EDGE = 2  # running headers and page numbers sit within the first or last two lines of a page


@dataclass(frozen=True)
class Line:
    """One printed line: its text (blank for a paragraph gap), and where it sits in the text column."""

    text: str
    indent: bool = False  # starts right of the column's left edge: a paragraph's first line, a centred line
    full: bool = False  # reaches the column's right edge, so its sentence may go on in the next line
    centred: bool = False  # centred and wide: the first line of a long title printed over two lines

    @property
    def stripped(self) -> str:
        """The text without surrounding whitespace."""
        return self.text.strip()


def display_width(text: str) -> int:
    """A string → its width in half-width cells (CJK and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def is_page_number(text: str, bare: bool = False) -> bool:
    """A line's text → True for a printed page number (`bare`: a lone number counts too)."""
    text = text.strip()
    return bool(PAGE_NUMBER.match(text) or (bare and _BARE_NUMBER.match(text)))


def drop_furniture(pages: list[list[Line]], bare_numbers: bool = False) -> list[Line]:
    """Pages of lines → one list of lines without page numbers and running headers/footers.

    A running line is one whose text (digits ignored) sits at a page edge on at least two pages
    and half of them. Page 1 keeps its top lines: the title is printed there, and is often the
    running header of the later pages. `bare_numbers` also drops an edge holding only a number
    (right for PDF pages, where the position is known; text keeps such lines).
    """
    running = _running_keys(pages)
    kept: list[Line] = []
    for number, page in enumerate(pages):
        top, bottom = _edges(page)
        body = [line for pos, line in enumerate(page)
                if not ((pos in top or pos in bottom) and _is_furniture(line.text, running, bare_numbers,
                                                                         keep_running=number == 0 and pos in top))]
        kept += body if len(body) == len(page) else _trim(body)
    return kept


def _is_furniture(text: str, running: set[str], bare_numbers: bool, keep_running: bool) -> bool:
    """A line at a page edge → True when it is a page number, or a running line (unless `keep_running`)."""
    return is_page_number(text, bare_numbers) or (_key(text) in running and not keep_running)


def _trim(page: list[Line]) -> list[Line]:
    """A page's lines → without blank lines at its ends, which only set the furniture apart."""
    filled = [i for i, line in enumerate(page) if line.stripped]
    return page[filled[0]: filled[-1] + 1] if filled else []


def rejoin(lines: list[Line]) -> list[str]:
    """Lines → paragraphs: a line continues the previous one when that one was wrapped inside its sentence."""
    marked = _marked_starts(lines)
    paragraphs: list[str] = []
    prev: Line | None = None
    for line in lines:
        text = line.stripped
        if not text:
            prev = None
            continue
        if prev is not None and _continues(prev, line, marked):
            paragraphs[-1] = _join(paragraphs[-1], text)
        else:
            paragraphs.append(text)
        prev = line
    return paragraphs


def _continues(prev: Line, line: Line, marked: bool) -> bool:
    """Two consecutive lines → True when the second carries on the first's sentence."""
    text = line.stripped
    if text.startswith(_CLOSING):  # no line starts with a closing mark unless a wrap put it there
        return True
    if HEADING.match(text):
        return False
    if prev.centred:  # a wrapped title goes on centred; a bracketed date or history line is its own
        return line.indent and not text.startswith(_OPENING) and not prev.stripped.endswith(_PARAGRAPH_END)
    if not prev.full or line.indent:
        return False
    # Where paragraphs start indented or after a blank line, a flush-left line after a full one
    # always continues it; otherwise a full line that closes a sentence is taken to end its paragraph.
    return marked or not prev.stripped.endswith(_PARAGRAPH_END)


def _marked_starts(lines: list[Line]) -> bool:
    """Lines → True when paragraphs start indented or after a blank line, as seen after clear paragraph ends."""
    marks = []
    filled = [i for i, line in enumerate(lines) if line.stripped]
    for i, j in zip(filled, filled[1:]):
        end, start = lines[i], lines[j]
        if not end.full and end.stripped.endswith(_PARAGRAPH_END) and not HEADING.match(start.stripped):
            marks.append(start.indent or j > i + 1)
    return bool(marks) and sum(marks) >= 0.6 * len(marks)


def _join(left: str, right: str) -> str:
    """Two pieces of one sentence → joined; a space only between two Latin words."""
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _edges(page: list[Line]) -> tuple[set[int], set[int]]:
    """A page → positions of its first and of its last `_EDGE` non-blank lines."""
    filled = [i for i, line in enumerate(page) if line.stripped]
    return set(filled[:_EDGE]), set(filled[-_EDGE:])


def _key(text: str) -> str:
    """A line → its key for running headers: whitespace removed, each run of digits as #."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running_keys(pages: list[list[Line]]) -> set[str]:
    """Pages → keys of the lines found at a page edge on at least two pages and half of them."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        top, bottom = _edges(page)
        counts.update({_key(page[i].text) for i in top | bottom})
    need = max(2, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if key and n >= need}
