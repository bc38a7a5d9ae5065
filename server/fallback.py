"""Degraded mode: while the dialogue manager is down, answer policy questions straight from retrieval."""

from __future__ import annotations

from actions.curation import curator
from knowledge.answer import HOTLINE, citation_payload, currency_notice, quote
from knowledge.cite import replaced_line
from knowledge.errors import QueryError
from knowledge.links import pointer_reply
from knowledge.retrieve import Retriever
from server.dialogue import BotMessage

NOTICE = "（对话服务暂时不可用，以下为检索到的条款，暂不支持追问和转人工。）"


def answer_from_retrieval(retriever: Retriever, text: str) -> BotMessage:
    """A question → one cited BotMessage from the best clause, or an honest no."""
    try:
        result = curator().apply(retriever.search(text, 3), retriever)  # staff links and "not covered" marks
    except QueryError as exc:
        return BotMessage(str(exc))
    if result.pointer:
        return BotMessage(f"{NOTICE}\n{pointer_reply(result.pointer)}", extra={"answerable": False, "degraded": True})
    if not result.answerable or not result.hits:
        return BotMessage(f"{NOTICE}\n现有政策文件中没有找到能回答这个问题的条款。请拨打 {HOTLINE} 咨询。", extra={"answerable": False, "degraded": True})
    hit, docs = result.hits[0], retriever.index.by_id
    text = f"{NOTICE}\n{replaced_line(result, docs)}{quote(hit.clause, hit.doc_title)}\n{currency_notice([hit.clause], docs)}"
    return BotMessage(text, [citation_payload(hit.clause, hit.doc_title)], extra={"answerable": True, "degraded": True})
