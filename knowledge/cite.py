"""Citations: a clause and its document → the reference a citizen or a hotline agent reads out."""

from __future__ import annotations

from knowledge.types import Clause


def citation(clause: Clause, doc_title: str) -> str:
    """Clause → 「《标题》（文号）四、… / （十一）…」 with the responsible departments."""
    where = " / ".join(clause.path)
    text = f"《{doc_title}》（{clause.doc_number}）{where}"
    if clause.departments:
        text += f"；责任单位：{'、'.join(clause.departments)}"
    if not clause.official:
        text += "；注意：此句仅见于网页转载版，正式文本中没有"
    return text
