"""Asked questions: an optional NAME.questions.yaml next to a source → the citizens' questions each clause answers.

A small embedding model matches a colloquial question to another colloquial question far better than
to the legal sentence that answers it (「被公司炒了能领失业金吗」 against 「非因本人意愿中断就业的」). So
each clause may carry questions, written the way citizens and hotline staff ask, that the clause
answers; search compares a question with them as well as with the clause (knowledge/retrieve.py).
This is the 关联问题 of a question-answering library, kept beside the official text, never in it.

The file is a YAML list, in document order:

    - clause: 第二十七条        # an article (第X条), a notice item （十一） or part 四、 — its label
      quote: 不得以性别为由     # optional: verbatim words picking the paragraph (款) or sentence meant
      questions:
        - 招聘只要男的，这算歧视吗

A malformed file is an error naming file, line and key; an entry whose label or quote matches no
clause (the document changed) is a warning naming its line, and is left out.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge import yamllist
from knowledge.types import Clause

SUFFIX = ".questions.yaml"
ENDS_OF_PREFIX_LABELS = ("）", "、")  # （十一） and 四、 head a longer heading; 第X条 must match whole


class Entry(BaseModel):
    """One entry: the clause it names and the questions that clause answers."""

    model_config = ConfigDict(extra="forbid")

    clause: str = Field(min_length=1)
    quote: str | None = Field(default=None, min_length=1)
    questions: list[str] = Field(min_length=1)


def questions_path(source: Path) -> Path:
    """'…/就业促进法-2015-04-24.txt' → '…/就业促进法-2015-04-24.questions.yaml'."""
    return source.with_name(source.stem + SUFFIX)


def load(source: Path, clauses: list[Clause]) -> tuple[dict[str, list[str]], list[str]]:
    """A source file and the official clauses parsed from it → ({clause_id: questions it answers}, warnings
    "line N: why"); ({}, []) without a questions file; SourceError naming file, line and key when malformed."""
    path = questions_path(source)
    if not path.is_file():
        return {}, []
    asked: dict[str, list[str]] = {}
    warnings = []
    for line, entry in yamllist.read(path, Entry, "clause, quote, questions"):
        matched = _matching(entry, clauses)
        if not matched:
            warnings.append(f"line {line}: {path.name}: {entry.clause}{'「' + entry.quote + '」' if entry.quote else ''} "
                            "matches no clause of the document; its questions are left out")
        for clause in matched:
            asked.setdefault(clause.clause_id, []).extend(q.strip() for q in entry.questions if q.strip())
    return {cid: list(dict.fromkeys(qs)) for cid, qs in asked.items()}, warnings


def _matching(entry: Entry, clauses: list[Clause]) -> list[Clause]:
    """An entry → the clauses it names: those labelled so (a prefix label heads the heading), narrowed to
    those holding the quote."""
    label = entry.clause.strip()
    prefix = label.endswith(ENDS_OF_PREFIX_LABELS)
    named = [c for c in clauses if c.path and (c.path[-1] == label or (prefix and c.path[-1].startswith(label)))]
    return [c for c in named if entry.quote is None or entry.quote in c.text]
