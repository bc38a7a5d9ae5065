"""Repeals stated in a document's own text: 「……《A》和《B》同时废止」 → A and B 已废止, superseded_by the document.

Only the parsed clauses are read (never the history line, whose 《国务院关于废止和修改部分行政法规的决定》 names
the decree that amended the text). A title is matched to the library by versions.title_key; of its versions the
one in force when the repealing text took effect is repealed. A partial repeal (「《A》中关于反倾销的规定同时废止」)
changes no status. A title not in the library is ignored: most repealed documents are not.
"""

from __future__ import annotations

import re

from knowledge.layouts.common import cn_number
from knowledge.types import REPEALED, Clause, Document, Repeal
from knowledge.versions import by_title, title_key

_TITLE = re.compile(r"《([^《》]+)》")
_SENTENCE = re.compile(r"[^。！？；\n]+")
# what follows a title when only part of it is repealed: 「《A》中关于…的规定」「《A》第十条」「《A》有关…的规定」
_PARTIAL = re.compile(r"^\s*(中|第|的|有关|关于|部分|所附|附件)")
_IN_FORCE = re.compile(r"自(\d{4}|[一二三四五六七八九〇零○]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                       r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日起(?:施行|实行|生效)")
_CN_YEAR = str.maketrans("〇零○一二三四五六七八九", "000123456789")


def repealed_titles(text: str) -> list[str]:
    """Clause text → the titles it repeals whole, in order: 《…》 before 废止 in one sentence, partial repeals left out."""
    titles = []
    for sentence in _SENTENCE.findall(text):
        bare = _TITLE.sub(lambda m: "《" + "　" * len(m.group(1)) + "》", sentence)  # 废止 inside a title does not count
        end = bare.find("废止")
        if end >= 0:
            titles += [m.group(1) for m in _TITLE.finditer(sentence[:end]) if not _PARTIAL.match(sentence[m.end():end])]
    return titles


def stated_in_force(text: str) -> str:
    """Clause text → the date it says the document took effect ('本条例自2024年9月1日起施行' → '2024-09-01'), else ''."""
    m = _IN_FORCE.search(text)
    if not m:
        return ""
    year, month, day = m.groups()
    return f"{int(year.translate(_CN_YEAR)):04d}-{_number(month):02d}-{_number(day):02d}"


def _number(text: str) -> int:
    """'9' or '九' → 9, '十一' → 11."""
    return int(text) if text.isdigit() else cn_number(text)


def link_repeals(documents: list[Document], clauses: list[Clause], fixed: set[str]) -> tuple[list[Repeal], dict[str, list[str]]]:
    """Documents in force (after link_versions) and their clauses → the documents they repeal marked 已废止 with
    superseded_by the repealing one, unless a sidecar fixed their status (doc ids in `fixed`).

    → (repeals applied, warnings per source for a repeal left out because it would close a cycle)."""
    by_id = {d.doc_id: d for d in documents}
    groups = by_title(documents)
    found = [(_effective(c, by_id[c.doc_id]), c, title) for c in clauses
             if c.official and c.doc_id in by_id and by_id[c.doc_id].in_force for title in repealed_titles(c.text)]
    applied, warnings = [], {}
    for effective, clause, title in sorted(found, key=lambda f: (f[0] or "9999", f[1].clause_id)):
        repealer = by_id[clause.doc_id]
        target = _repealed_version(groups.get(title_key(title), []), repealer, effective)
        if target is None or target.doc_id in fixed or any(r.target == target.doc_id for r in applied):
            continue
        if _leads_to(repealer, target, by_id):
            warnings.setdefault(repealer.source, []).append(
                f"{clause.clause_id}: repeal of 「{title}」 left out: {target.doc_id} already leads to this document")
            continue
        target.status, target.superseded_by = REPEALED, repealer.doc_id
        applied.append(Repeal(target.doc_id, repealer.doc_id, clause.clause_id, title))
    return applied, warnings


def _effective(clause: Clause, doc: Document) -> str:
    """A clause stating a repeal and its document → when the repeal took effect: the date the clause states, else the
    document's earliest date (a repeal is in its first text), else ''."""
    return stated_in_force(clause.text) or min(doc.dates.values(), default="")


def _repealed_version(versions: list[Document], repealer: Document, effective: str) -> Document | None:
    """The versions of a named title → the one in force when the repeal took effect: the latest dated before it
    (any, latest first, when that date is unknown); None when a version of the title is dated after it (re-enacted),
    or the only candidate is the repealer itself."""
    others = [d for d in versions if d is not repealer]
    same_title = title_key(repealer.title) == title_key(versions[0].title) if versions else False
    if not effective:
        return None if same_title or len(others) != 1 else others[0]
    if any(d.version_date >= effective for d in others) or (same_title and not all(d.version_date for d in others)):
        return None
    return max(others, key=lambda d: d.version_date, default=None)


def _leads_to(start: Document, goal: Document, by_id: dict[str, Document]) -> bool:
    """True when following superseded_by from start reaches goal (start itself included): a repeal would loop."""
    doc, seen = start, set()
    while doc is not None and doc.doc_id not in seen:
        if doc is goal:
            return True
        seen.add(doc.doc_id)
        doc = by_id.get(doc.superseded_by) if doc.superseded_by else None
    return False
