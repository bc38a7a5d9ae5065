"""One citizen turn on any channel: (channel, user, masked text) → bot messages, never nothing.

The message is understood first (`knowledge.understand`: widths, masked numbers, pinyin/English,
fillers, question sentences), so the dialogue manager, its actions and the degraded-mode retrieval
all read the same cleaned text. The dialogue manager answers; while it (or the action server
behind it) fails, retrieval answers with a notice. While a handoff request waits, a turn that
answers nothing (small talk, 「还在吗」) gets the waiting notice; questions are answered.
"""

from __future__ import annotations

import asyncio
import logging

from actions import store
from actions.context import CANCEL_BUTTON
from knowledge.texts import ASK_CHINESE, WAITING
from knowledge.understand import understand, without_placeholder
from server.dialogue import BotMessage, DialogueUnavailable
from server.fallback import answer_from_retrieval
from server.metrics import ANSWERS, FALLBACKS, HANDOFFS

log = logging.getLogger(__name__)
STORE_TIMEOUT_S = 1.0  # a local SQLite read takes milliseconds


async def converse(dialogue, retriever, channel: str, user: str, text: str) -> list[BotMessage]:
    """→ the dialogue's messages; a waiting notice while queued; a cited retrieval answer when it fails."""
    sender = f"{channel}:{user}"
    understood = understand(text)
    if understood.needs_chinese:
        return [BotMessage(ASK_CHINESE, extra={"kind": "clarify"})]
    text = understood.text
    try:
        messages = await dialogue.reply(sender, text)
    except DialogueUnavailable as exc:
        log.warning("dialogue unavailable, answering from retrieval: %s", exc)
        messages = None
    if messages is not None and not _answers(messages) and await _waiting(sender):
        return [BotMessage(WAITING, buttons=[CANCEL_BUTTON], extra={"waiting": True, "kind": "waiting"})]
    if not messages:
        if messages == []:
            log.warning("dialogue answered nothing for %s (action server down?), answering from retrieval", sender)
        FALLBACKS.inc()
        messages = [await asyncio.to_thread(answer_from_retrieval, retriever, without_placeholder(text))]
    _count(channel, messages)
    return messages


async def _waiting(sender: str) -> bool:
    """→ whether the conversation waits for staff; a handoff store that does not answer within
    STORE_TIMEOUT_S (a locked or hung database) counts as no, and the turn is answered from retrieval."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(store.is_waiting, sender), STORE_TIMEOUT_S)
    except TimeoutError:
        log.warning("handoff store did not answer within %.0f s; answering %s from retrieval", STORE_TIMEOUT_S, sender)
        return False


def _answers(messages: list[BotMessage]) -> bool:
    """True when a reply does something for the citizen (an answer, a question back, a queue change), not small talk."""
    return any("answerable" in m.extra or "kind" in m.extra or "handoff" in m.extra for m in messages)


def _count(channel: str, messages: list[BotMessage]) -> None:
    for m in messages:
        if "answerable" in m.extra:
            ANSWERS.labels(channel, str(m.extra["answerable"]).lower()).inc()
        if m.extra.get("handoff"):
            HANDOFFS.labels(channel).inc()
