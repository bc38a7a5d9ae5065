"""Citations: a clause and its document → the reference a citizen or a hotline agent reads out."""

from __future__ import annotations

import re
from collections.abc import Mapping

from knowledge.layouts.common import cn_numeral
from knowledge.types import REPEALED, Clause, Document
from knowledge.versions import in_force_successor, title_key

_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条(之[一二三四五六七八九十]+)?$")


def _is_article(clause: Clause) -> bool:
    return bool(clause.path) and bool(_ARTICLE.match(clause.path[-1]))


def source(clause: Clause, doc_title: str) -> str:
    """Clause → 《标题》第二十七条（第一款） for a law, 「《标题》（文号）四、… / （十一）…」 for a notice; no departments."""
    if _is_article(clause):
        return f"《{doc_title}》{article_reference(clause)}"
    number = f"（{clause.doc_number}）" if clause.doc_number else ""
    return f"《{doc_title}》{number}{' / '.join(clause.path)}"


def short_source(clause: Clause, doc_title: str) -> str:
    """Clause → 《标题》第二十七条 or 「《标题》（文号）（十一）…」: the document and the innermost heading or article."""
    if _is_article(clause):
        return source(clause, doc_title)
    number = f"（{clause.doc_number}）" if clause.doc_number else ""
    return f"《{doc_title}》{number}{clause.path[-1] if clause.path else ''}"


def brief(clause: Clause, doc_title: str = "") -> str:
    """Clause → 「国发〔2017〕28号（十一）…」 (文号 and innermost heading) or 「《标题》第X条」, for one line of a list."""
    if clause.doc_number and not _is_article(clause):
        return f"{clause.doc_number}{clause.path[-1] if clause.path else ''}"
    return source(clause, doc_title)


def citation(clause: Clause, doc_title: str) -> str:
    """Clause → its source with the responsible departments (for staff) and a copy-only warning."""
    text = source(clause, doc_title)
    if clause.departments:
        text += f"；责任单位：{'、'.join(clause.departments)}"
    if not clause.official:
        text += "；注意：此句仅见于网页转载版，正式文本中没有"
    return text


def article_reference(clause: Clause) -> str:
    """A law clause → '第二十七条' or '第二十七条第一款'."""
    return clause.path[-1] + (f"第{cn_numeral(clause.paragraph)}款" if clause.paragraph else "")


def cn_date(iso: str) -> str:
    """'2022-05-01' → '2022年5月1日'."""
    return f"{int(iso[:4])}年{int(iso[5:7])}月{int(iso[8:10])}日"


def version_label(doc: Document) -> str:
    """A document → '2022年4月20日修订版' style label of its version ('' when undated)."""
    date = doc.version_date
    event = next((e for e in ("修订", "修正", "公布", "发布", "通过") if doc.dates.get(e) == date), "")
    return f"{cn_date(date)}{event}版" if date else ""


def validity(doc: Document, documents: Mapping[str, Document]) -> str:
    """A document's metadata → '，2022年5月1日起施行，现行有效', '，已被修订，现行有效的是2022年4月20日修订版' or
    '，已被《退役军人安置条例》废止' (repealed by another document's text)
    (the 施行 date only when it is this version's own, not an earlier version's)."""
    start = doc.dates.get("施行", "")
    parts = [f"{cn_date(start)}起施行"] if start and start >= doc.version_date else []
    successor = documents.get(doc.superseded_by) if doc.superseded_by else None
    current = _in_force_label(doc, documents) if successor is not None and not doc.in_force else ""
    if successor is not None and doc.status == REPEALED:
        parts.append(f"已被《{successor.title}》废止")
    else:
        parts.append(f"{doc.status}，现行有效的是{current}" if current else doc.status)
    return "".join(f"，{p}" for p in parts)


def _in_force_label(doc: Document, documents: Mapping[str, Document]) -> str:
    """A replaced document → the one in force that replaces it: '2022年4月20日修订版' (same title) or
    '《乙条例》2020年5月1日公布版' (an earlier version's successor was repealed by another document); '' when none."""
    current = in_force_successor(doc.doc_id, list(documents.values()))
    if current is None:
        return ""
    label = version_label(current)
    return label if title_key(current.title) == title_key(doc.title) else f"《{current.title}》{label}"


def replaced_notice(old: Document, new: Document, repealer: Document | None = None) -> str:
    """A document no longer in force, the one in force that replaces it and (when another document's text repealed
    it) that document → the sentence telling a citizen the old rule was replaced or repealed."""
    if old.status == REPEALED and repealer is not None:
        return (f"提示：与您的问题最接近的规定出自《{old.title}》，该文件已被《{repealer.title}》废止，"
                f"以下依据现行有效的《{new.title}》答复。")
    return (f"提示：与您的问题最接近的规定出自《{old.title}》{version_label(old)}，该版本{old.status}，"
            f"现行有效的是《{new.title}》{version_label(new)}，以下依据现行版本答复。")


def replaced_line(result, documents: dict[str, Document]) -> str:
    """A SearchResult and the documents by id → the replaced-version notice and a newline ('' when none)."""
    if result.replaced is None:
        return ""
    old = documents[result.replaced.clause.doc_id]
    return replaced_notice(old, documents[result.replaced_by], documents.get(old.superseded_by)) + "\n"
