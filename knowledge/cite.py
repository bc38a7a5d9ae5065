"""Citations: a clause and its document → the reference a citizen or a hotline agent reads out."""

from __future__ import annotations

from knowledge.types import Clause


def source(clause: Clause, doc_title: str) -> str:
    """Clause → 「《标题》（文号）四、… / （十一）…」: where the text stands, without departments."""
    return f"《{doc_title}》（{clause.doc_number}）{' / '.join(clause.path)}"


def short_source(clause: Clause, doc_title: str) -> str:
    """Clause → 「《标题》（文号）（十一）…」: the document and the innermost heading or article only."""
    return f"《{doc_title}》（{clause.doc_number}）{clause.path[-1] if clause.path else ''}"


def brief(clause: Clause) -> str:
    """Clause → 「国发〔2017〕28号（十一）…」: 文号 and innermost heading, for one line of a list."""
    return f"{clause.doc_number}{clause.path[-1] if clause.path else ''}"


def citation(clause: Clause, doc_title: str) -> str:
    """Clause → its source with the responsible departments (for staff) and a copy-only warning."""
    text = source(clause, doc_title)
    if clause.departments:
        text += f"；责任单位：{'、'.join(clause.departments)}"
    if not clause.official:
        text += "；注意：此句仅见于网页转载版，正式文本中没有"
    return text
