"""Segmentation: a section's running text → clause-sized spans, and department parentheses → lists."""

from __future__ import annotations

import re

MAX_CLAUSE_CHARS = 300
MIN_CLAUSE_CHARS = 12  # shorter fragments are merged into the clause before them

_SENTENCE_END = re.compile(r"[。！？!?]+[”」』]?")
_SOFT_END = re.compile(r"[；;]")
_DEPT_SUFFIX = re.compile(r"(厅|委|局|部|办|行|会|署|院|联|室|中央|分行|团省委|负责)$")
_TRAILING_PAREN = re.compile(r"[（(]([^（）()]+)[）)]\s*$")
_RESPONSIBILITY = re.compile(r"(等)?(按职责分工)?负责$")
LEAD_NOTE = "列第一位者为牵头单位"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Running text → (start, end) spans of clause-sized pieces covering all non-blank text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.extend(_split_long(text, start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.extend(_split_long(text, start, len(text)))
    return _merge_short(text, [s for s in spans if text[s[0]:s[1]].strip()])


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence longer than MAX_CLAUSE_CHARS → pieces cut after semicolons (or hard cuts)."""
    if end - start <= MAX_CLAUSE_CHARS:
        return [(start, end)]
    pieces, piece_start = [], start
    for m in _SOFT_END.finditer(text, start, end):
        if m.end() - piece_start >= MAX_CLAUSE_CHARS // 2:
            pieces.append((piece_start, m.end()))
            piece_start = m.end()
    pieces.append((piece_start, end))
    out = []
    for s, e in pieces:  # no semicolon in reach: cut hard, still verbatim
        out.extend((i, min(i + MAX_CLAUSE_CHARS, e)) for i in range(s, e, MAX_CLAUSE_CHARS))
    return out


def _merge_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Glue fragments under MIN_CLAUSE_CHARS to the previous span when the result still fits."""
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        short = len(text[s:e].strip()) < MIN_CLAUSE_CHARS
        if merged and short and e - merged[-1][0] <= MAX_CLAUSE_CHARS:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def split_departments(text: str) -> tuple[str, str | None]:
    """'…正文。（省人社厅、财政厅）' → ('…正文。', '省人社厅、财政厅'); no department list → (text, None)."""
    m = _TRAILING_PAREN.search(text)
    if not m or not looks_like_departments(m.group(1)):
        return text, None
    return text[: m.start()].rstrip(), m.group(1)


def looks_like_departments(inner: str) -> bool:
    """True when a parenthesis' content is a list of government bodies."""
    names = department_names(inner)
    return bool(names) and sum(bool(_DEPT_SUFFIX.search(n)) for n in names) >= max(1, len(names) // 2)


def department_names(inner: str) -> list[str]:
    """'国家发展改革委、财政部等负责。列第一位者为牵头单位，下同' → ['国家发展改革委', '财政部']."""
    head = re.split(r"[。.]", inner, maxsplit=1)[0]
    head = _RESPONSIBILITY.sub("", re.sub(r"\s+", "", head))
    names = [n for n in re.split(r"[、，,]", head) if n]
    if any(len(n) > 20 for n in names):
        return []
    return names
