"""Degraded mode: while the dialogue manager is down, answer policy questions straight from retrieval."""

from __future__ import annotations

from actions.curation import curator
from knowledge.answer import citation_payload, currency_notice, quote
from knowledge.cite import replaced_line
from knowledge.errors import QueryError
from knowledge.links import pointer_reply
from knowledge.retrieve import Retriever
from knowledge.texts import DEGRADED_NO_ANSWER, DEGRADED_NOTICE
from server.dialogue import BotMessage


def answer_from_retrieval(retriever: Retriever, text: str) -> BotMessage:
    """A question → one cited BotMessage from the best clause, or an honest no."""
    try:
        result = curator().apply(retriever.search(text, 3), retriever)  # staff links and "not covered" marks
    except QueryError as exc:
        return BotMessage(str(exc))
    if result.pointer:
        return BotMessage(f"{DEGRADED_NOTICE}\n{pointer_reply(result.pointer)}", extra={"answerable": False, "degraded": True})
    if not result.answerable or not result.hits:
        return BotMessage(f"{DEGRADED_NOTICE}\n{DEGRADED_NO_ANSWER}", extra={"answerable": False, "degraded": True})
    hit, docs = result.hits[0], retriever.index.by_id
    text = f"{DEGRADED_NOTICE}\n{replaced_line(result, docs)}{quote(hit.clause, hit.doc_title)}\n{currency_notice([hit.clause], docs)}"
    return BotMessage(text, [citation_payload(hit.clause, hit.doc_title)], extra={"answerable": True, "degraded": True})
