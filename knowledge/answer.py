"""Answer composition: a question and its search result → the text a citizen reads, in a fixed order.

1. one line that answers: which policy applies, what the documents do not specify
   (「政策文件没有规定具体金额」), or that they do not cover the question's key concept;
2. the verbatim quote(s);
3. one short source line (document title, 文号 or article, innermost heading);
4. where to ask, and the currency notice (document date, deadlines that have passed).
Departments never appear here: they travel in the citation payload (details, staff console).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from knowledge import qtype, regions
from knowledge.cite import cn_date, replaced_line, short_source, source, validity, version_label
from knowledge.contract import Citation
from knowledge.links import pointer_reply
from knowledge.texts import ADVICE, NO_ANSWER, NO_DIRECT_CLAUSE, NOT_COVERED, RELATED, WHERE_TO_ASK
from knowledge.types import Clause, Document, Hit, SearchResult

# Quote a second clause this close to the best: 0.05 of score, plus the up to 0.05 (local_weight) that the
# document step gives the leading document's clauses only (a forwarded national sentence is not farther off).
SECOND_CLAUSE_MARGIN = 0.1
_DEADLINE = re.compile(r"(\d{4})\s*年\s*(?:底前|前|年底|内)|(\d{4})\s*[-—至到]\s*(\d{4})\s*年|于(\d{4})\s*年底")
_ORDINAL = re.compile(r"^\s*(?:[（(][一二三四五六七八九十百]+[）)]|[一二三四五六七八九十百]+、)\s*")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零0-9]+条")


@dataclass
class Answer:
    """What a citizen reads, with the clauses it quotes; `answerable` False for an honest no."""

    text: str
    hits: list[Hit] = field(default_factory=list)
    answerable: bool = True
    kind: str | None = None  # question type (knowledge/qtype.py)
    specific: bool = True  # False: the quotes do not state what was asked


def citation_payload(clause: Clause, doc_title: str, **more) -> dict:
    """A clause (and further citation fields, e.g. benefit) → the citation object every channel receives."""
    return Citation.of(clause, doc_title, **more).payload()


def quote(clause: Clause, doc_title: str) -> str:
    """A clause → 「verbatim text」 followed by its source line."""
    return f"「{clause.text}」\n——{source(clause, doc_title)}"


def policy_name(hit: Hit) -> str:
    """A hit → the policy it belongs to: its innermost heading without the ordinal, or 《标题》第X条."""
    heading = hit.clause.path[-1] if hit.clause.path else ""
    if heading and not _ARTICLE.match(heading):
        return _ORDINAL.sub("", heading).rstrip("。")
    return f"《{hit.doc_title}》{heading}"


def compose(question: str, result: SearchResult, documents: Mapping[str, Document], today: dt.date | None = None) -> Answer:
    """A question, its search result and the documents by doc_id → the Answer in the order citizens read (a note
    first when the closest rule comes from a version no longer in force)."""
    kind = qtype.classify(question)
    if result.pointer:  # answered elsewhere: where to ask, after the nearest clause when it is near (knowledge/elsewhere.py)
        return _unsure(result, documents, kind) if result.related else Answer(pointer_reply(result.pointer), answerable=False, kind=kind)
    if result.missing_concepts:
        return Answer(_not_covered(result.missing_concepts), answerable=False, kind=kind)
    hits = result.hits
    if not hits:
        return Answer(NO_ANSWER, answerable=False, kind=kind)
    if not (result.answerable or (kind and result.key_concepts)):
        return _unsure(result, documents, kind)
    chosen = _quoted(hits, documents)
    specific = not kind or qtype.states(kind, "".join(h.clause.text for h in chosen))
    if not result.answerable and specific:
        return _unsure(result, documents, kind)  # unsure, and nothing specific to point at
    if specific:
        lead, ask = f"适用政策：{policy_name(chosen[0])}。", ""
    else:
        chosen = chosen[:1]
        lead, ask = qtype.NOT_STATED[kind] + "与您的问题最相关的规定是：", WHERE_TO_ASK
    clauses = [h.clause for h in chosen]
    lines = [replaced_line(result, documents) + lead, *(f"「{c.text}」" for c in clauses), "出处：" + "；".join(short_source(h.clause, h.doc_title) for h in chosen)]
    lines.append(ask + currency_notice(clauses, documents, today, advice=not ask))
    answered = result.answerable or kind not in qtype.FIGURES  # an amount or age the documents do not state: no answer
    return Answer("\n".join(lines), chosen, answered, kind, specific)


def _unsure(result: SearchResult, documents: Mapping[str, Document], kind: str) -> Answer:
    """A result too weak to assert → an honest no; when it is near (result.related), the best clause is offered
    as possibly related, marked so, after what the documents do not specify when a typed question's clause does not
    state it, with where to ask (the topic's own place when it is answered elsewhere) — still not an answer (answerable False)."""
    if not result.related:
        return Answer(NO_ANSWER, answerable=False, kind=kind)
    hit = result.hits[0]
    unstated = kind and not qtype.states(kind, hit.clause.text)  # say first what the documents do not specify
    lead = (qtype.NOT_STATED[kind] if unstated else NO_DIRECT_CLAUSE) + RELATED
    lines = [replaced_line(result, documents) + lead, f"「{hit.clause.text}」", "出处：" + short_source(hit.clause, hit.doc_title),
             result.pointer or WHERE_TO_ASK]
    return Answer("\n".join(lines), [hit], False, kind, False)


def _quoted(hits: list[Hit], documents: Mapping[str, Document]) -> list[Hit]:
    """Hits (best first) → the one or two to quote: the second when it scores within SECOND_CLAUSE_MARGIN.
    Best first, except that a local document forwarding the other's (粤府 wrapping 国发: one source file) leads:
    both state the same rule, the local text is the one that applies, and paraphrases then lead alike."""
    close = [h for h in hits[:2] if h.score >= hits[0].score - SECOND_CLAUSE_MARGIN]
    docs = [documents.get(h.clause.doc_id) for h in close]
    if len(close) == 2 and all(docs) and docs[0].source == docs[1].source and \
            regions.locality(docs[1].region) > regions.locality(docs[0].region):
        return close[::-1]
    return close


def asserts(result: SearchResult) -> bool:
    """A search result → True when compose() would assert what it quotes if the result were answerable
    (not when the concept check refused it, nor when a typed question's clause lacks what was asked:
    those are told 「政策文件没有规定…」 whatever the threshold)."""
    if result.missing_concepts or not result.hits:
        return False
    kind = qtype.classify(result.query)
    return not kind or qtype.states(kind, result.hits[0].clause.text)


def _not_covered(concepts: list[str]) -> str:
    """Key concepts no clause states → the honest no that names them."""
    named = "「" + "」和「".join(concepts) + "」"
    scope = "同时涉及" if len(concepts) > 1 else "涉及"
    return NOT_COVERED.format(scope=scope, named=named)


def expired_deadlines(text: str, today: dt.date) -> list[str]:
    """Clause text → the deadlines or periods in it that ended before today ('2018年底前', '2017-2020年')."""
    past = []
    for m in _DEADLINE.finditer(text):
        year = int(m.group(1) or m.group(3) or m.group(4))
        if year < today.year:
            past.append(m.group(0))
    return past


def currency_notice(clauses: list[Clause], documents: Mapping[str, Document], today: dt.date | None = None,
                    advice: bool = True) -> str:
    """Cited clauses and their documents (by doc_id) → one notice on age, passed deadlines and (advice) where to check."""
    today = today or dt.date.today()
    issued = []
    for doc_id in dict.fromkeys(c.doc_id for c in clauses):
        doc = documents.get(doc_id)
        if doc is None:
            continue
        d = doc.dates
        when = d.get("成文") or d.get("印发") or d.get("发布")
        if doc.layout == "notice" and when:
            issued.append(f"{doc.doc_number}（{cn_date(when)}）")
        elif version_label(doc):  # a law's own metadata: its version, 施行 date and status (issue 12)
            issued.append(f"《{doc.title}》（{version_label(doc)}{validity(doc, documents)}）")
    parts = [f"以上依据为{'、'.join(issued)}。" if issued else ""]
    passed = [p for c in clauses for p in expired_deadlines(c.text, today)]
    if passed:
        parts.append(f"条款中的期限「{'」「'.join(dict.fromkeys(passed))}」已经过去。")
    if advice:
        parts.append(ADVICE)
    return "".join(parts)

