"""Citations: a clause and its document → the reference a citizen or a hotline agent reads out."""

from __future__ import annotations

import re

from knowledge.layouts.common import cn_numeral
from knowledge.types import Clause, Document

_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条(之[一二三四五六七八九十]+)?$")


def citation(clause: Clause, doc_title: str) -> str:
    """Clause → 《标题》第二十七条（第一款） for a law, 「《标题》（文号）四、… / （十一）…」 with departments for a notice."""
    if clause.path and _ARTICLE.match(clause.path[-1]):
        text = f"《{doc_title}》{article_reference(clause)}"
    else:
        where = " / ".join(clause.path)
        number = f"（{clause.doc_number}）" if clause.doc_number else ""
        text = f"《{doc_title}》{number}{where}"
    if clause.departments:
        text += f"；责任单位：{'、'.join(clause.departments)}"
    if not clause.official:
        text += "；注意：此句仅见于网页转载版，正式文本中没有"
    return text


def article_reference(clause: Clause) -> str:
    """A law clause → '第二十七条' or '第二十七条第一款'."""
    return clause.path[-1] + (f"第{cn_numeral(clause.paragraph)}款" if clause.paragraph else "")


def version_label(doc: Document) -> str:
    """A document → '2022年4月20日修订版' style label of its version ('' when undated)."""
    date = doc.version_date
    event = next((e for e in ("修订", "修正", "公布", "发布", "通过") if doc.dates.get(e) == date), "")
    return f"{int(date[:4])}年{int(date[5:7])}月{int(date[8:10])}日{event}版" if date else ""


def replaced_notice(old: Document, new: Document) -> str:
    """An old version and the version in force → the sentence telling a citizen the old rule was replaced."""
    return (f"提示：与您的问题最接近的规定出自《{old.title}》{version_label(old)}，该版本{old.status}，"
            f"现行有效的是《{new.title}》{version_label(new)}，以下依据现行版本答复。")


def replaced_line(result, documents: dict[str, Document]) -> str:
    """A SearchResult and the documents by id → the replaced-version notice and a newline ('' when none)."""
    if result.replaced is None:
        return ""
    return replaced_notice(documents[result.replaced.clause.doc_id], documents[result.replaced_by]) + "\n"
