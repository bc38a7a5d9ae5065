"""One citizen turn on any channel: (channel, user, masked text) → bot messages, never nothing.

The dialogue manager answers; while it (or the action server behind it) fails, retrieval answers
with a notice. Rasa says nothing in two cases only: the conversation waits for a person, or a
custom action failed (Rasa logs it and carries on silently) — the second is treated as a failure.
"""

from __future__ import annotations

import asyncio
import logging

from actions import store
from server.dialogue import BotMessage, DialogueUnavailable
from server.fallback import answer_from_retrieval
from server.metrics import ANSWERS, FALLBACKS, HANDOFFS

log = logging.getLogger(__name__)
STORE_TIMEOUT_S = 1.0  # a local SQLite read takes milliseconds
WAITING = "您已在排队等待人工客服，请稍候；工作人员处理后会联系您。急事请拨打 12333。"


async def converse(dialogue, retriever, channel: str, user: str, text: str) -> list[BotMessage]:
    """→ the dialogue's messages; a waiting notice while paused; a cited retrieval answer when it fails."""
    sender = f"{channel}:{user}"
    try:
        messages = await dialogue.reply(sender, text)
    except DialogueUnavailable as exc:
        log.warning("dialogue unavailable, answering from retrieval: %s", exc)
        messages = None
    if not messages:
        if messages == [] and await _waiting(sender):
            return [BotMessage(WAITING, extra={"waiting": True})]
        if messages == []:
            log.warning("dialogue answered nothing for %s (action server down?), answering from retrieval", sender)
        FALLBACKS.inc()
        messages = [await asyncio.to_thread(answer_from_retrieval, retriever, text)]
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


def _count(channel: str, messages: list[BotMessage]) -> None:
    for m in messages:
        if "answerable" in m.extra:
            ANSWERS.labels(channel, str(m.extra["answerable"]).lower()).inc()
        if m.extra.get("handoff"):
            HANDOFFS.labels(channel).inc()
