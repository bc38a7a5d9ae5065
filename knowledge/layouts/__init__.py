"""Layouts: one module per official layout, each with the same interface, and the registry choosing among them.

A layout module has NAME, `detect(text) -> bool` (from the text alone, never the file name) and
`parse(text, source) -> (list[Document], list[Clause], list[str] warnings)`. The first layout whose `detect` is true
parses the file; a text no layout detects cannot be placed.
"""

from __future__ import annotations

from knowledge.errors import UnplaceableSource
from knowledge.layouts import law, notice
from knowledge.types import Clause, Document

LAYOUTS = (notice, law)  # notice first: a 文号 line is the stronger signal
WHY_UNPLACED = ("not a policy document: no 文号 line (notice layout) and no title of a law, regulation or notice "
                "followed by a history line, 第X条 articles or legal wording")


def choose(text: str):
    """A source text → the layout module that reads it, or None."""
    return next((layout for layout in LAYOUTS if layout.detect(text)), None)


def parse(text: str, source: str) -> tuple[list[Document], list[Clause], list[str]]:
    """A source text and file name → (documents, clauses, warnings); UnplaceableSource when no layout fits."""
    layout = choose(text)
    if layout is None:
        raise UnplaceableSource(source, first_line(text), WHY_UNPLACED)
    return layout.parse(text, source)


def first_line(text: str) -> int:
    """→ the 1-based number of the first non-blank line."""
    return next((n for n, line in enumerate(text.splitlines(), start=1) if line.strip()), 1)
