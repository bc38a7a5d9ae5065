"""A saved web page (.html/.htm) → the article's text: navigation, footers, share and related links dropped.

trafilatura finds the main content; this module decodes the page (the <meta> charset, often
GB2312/GBK on government sites), keeps the title line the layout parsers need, and refuses a page
whose extraction holds no sentence (only navigation was found: the page has no article body).
"""

from __future__ import annotations

import re

from knowledge.errors import SourceError
from knowledge.formats import charset

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SENTENCE = re.compile(r"[\u4e00-\u9fff].{13,}[，。；]|[，。；].{13,}")  # a clause of prose, not a link or menu item
_RULE_ROW = re.compile(r"[|\-:\s]+")
_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s[-—–]\s)\s*")  # 「就业促进法_政策法规_某某网」「… | 某某网」


def extract(data: bytes, source: str) -> str:
    """Page bytes → the article text, title first, one paragraph per line, paragraphs separated by a blank line."""
    import trafilatura

    page = charset.decode(data, source, declared=_declared_charset(data))
    doc = trafilatura.bare_extraction(page, include_tables=True, include_comments=False, with_metadata=True)
    paragraphs = [_row(line) for line in (doc.text if doc else "").splitlines() if _row(line)]
    if not any(_SENTENCE.search(p) for p in paragraphs):
        raise SourceError(source, None, "page has no article body (only navigation, links or a footer were found)")
    title = _title(doc.title or "")
    if title and title not in paragraphs[:3]:
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + "\n"


def _row(line: str) -> str:
    """An extracted line → stripped; a table row '| a | b |' as 'a | b' (as DOCX rows), a rule row '|---|' as ''."""
    line = line.strip()
    if line.startswith("|") and line.endswith("|"):
        line = "" if _RULE_ROW.fullmatch(line) else line[1:-1].strip()
    return line


def _declared_charset(data: bytes) -> str | None:
    """Page bytes → the charset its <meta> declares (within the first 4 kB), if any."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _title(title: str) -> str:
    """A page title ('中华人民共和国就业促进法_政策法规_某某网') → the document's title."""
    return _TITLE_SEPARATOR.split(title.strip())[0]
