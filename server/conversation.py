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
        if messages == [] and await asyncio.to_thread(store.is_waiting, sender):
            return [BotMessage(WAITING, extra={"waiting": True})]
        if messages == []:
            log.warning("dialogue answered nothing for %s (action server down?), answering from retrieval", sender)
        FALLBACKS.inc()
        messages = [await asyncio.to_thread(answer_from_retrieval, retriever, text)]
    _count(channel, messages)
    return messages


def _count(channel: str, messages: list[BotMessage]) -> None:
    for m in messages:
        if "answerable" in m.extra:
            ANSWERS.labels(channel, str(m.extra["answerable"]).lower()).inc()
        if m.extra.get("handoff"):
            HANDOFFS.labels(channel).inc()
