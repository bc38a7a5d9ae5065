"""Answer composition: clauses → quoted text, citation objects and the currency notice (2017 texts, passed deadlines)."""

from __future__ import annotations

import datetime as dt
import re

from collections.abc import Mapping

from knowledge.cite import citation, version_label
from knowledge.types import Clause, Document

HOTLINE = "12333"
ADVICE = f"政策可能已有更新，办理前请向当地人力资源社会保障部门咨询或拨打 {HOTLINE} 核实现行规定。"
_DEADLINE = re.compile(r"(\d{4})\s*年\s*(?:底前|前|年底|内)|(\d{4})\s*[-—至到]\s*(\d{4})\s*年|于(\d{4})\s*年底")


def citation_payload(clause: Clause, doc_title: str) -> dict:
    """A clause → the citation object every channel receives."""
    return {
        "clause_id": clause.clause_id, "doc_id": clause.doc_id, "doc_number": clause.doc_number, "doc_title": doc_title,
        "citation": citation(clause, doc_title), "paragraph": clause.paragraph,
        "path": clause.path, "text": clause.text, "departments": clause.departments, "official": clause.official,
    }


def quote(clause: Clause, doc_title: str) -> str:
    """A clause → 「verbatim text」 followed by its citation line."""
    return f"「{clause.text}」\n——{citation(clause, doc_title)}"


def expired_deadlines(text: str, today: dt.date) -> list[str]:
    """Clause text → the deadlines or periods in it that ended before today ('2018年底前', '2017-2020年')."""
    past = []
    for m in _DEADLINE.finditer(text):
        year = int(m.group(1) or m.group(3) or m.group(4))
        if year < today.year:
            past.append(m.group(0))
    return past


def currency_notice(clauses: list[Clause], documents: Mapping[str, Document], today: dt.date | None = None) -> str:
    """Cited clauses and their documents (by doc_id) → one notice on age, passed deadlines and where to check."""
    today = today or dt.date.today()
    issued = []
    for doc_id in dict.fromkeys(c.doc_id for c in clauses):
        doc = documents.get(doc_id)
        if doc is None:
            continue
        d = doc.dates
        when = d.get("成文") or d.get("印发") or d.get("发布")
        if doc.layout == "notice" and when:
            issued.append(f"{doc.doc_number}（{when[:4]}年{int(when[5:7])}月{int(when[8:10])}日）")
        elif version_label(doc):
            issued.append(f"《{doc.title}》（{version_label(doc)}）")
    parts = [f"以上依据为{'、'.join(issued)}。" if issued else ""]
    passed = [p for c in clauses for p in expired_deadlines(c.text, today)]
    if passed:
        parts.append(f"条款中的期限「{'」「'.join(dict.fromkeys(passed))}」已经过去。")
    parts.append(ADVICE)
    return "".join(parts)

