"""One citizen turn on any channel: (channel, user, masked text) → bot messages, never nothing.

The message is understood first (`knowledge.understand`: widths, masked numbers, pinyin/English,
fillers, question sentences), so the dialogue manager, its actions and the degraded-mode retrieval
all read the same cleaned text. The dialogue manager answers; while it (or the action server
behind it) fails, retrieval answers with a notice. While a handoff request waits, a turn that
answers nothing (small talk, 「还在吗」) gets the waiting notice; questions are answered. While a staff
member holds the conversation (claimed), the message goes to them and not to the dialogue: no bot
message comes back (the staff reply reaches the citizen's channel later, see server/live.py).

Every turn is written to the conversation journal (actions/journal.py) once it is answered, in one
transaction: the citizen's masked message (with the time it came), and each bot message with its outcome,
cited clause ids and the turn's reply time. A journal that
cannot be written is logged and counted (`assistant_journal_failures_total`), never the citizen's problem.
"""

from __future__ import annotations

import asyncio
import logging
import time

from actions import journal, store
from actions.context import CANCEL_BUTTON
from knowledge.texts import ASK_CHINESE, WAITING
from knowledge.understand import understand, without_placeholder
from server.dialogue import BotMessage, DialogueUnavailable
from server.fallback import answer_from_retrieval
from server.metrics import ANSWERS, FALLBACKS, HANDOFFS, JOURNAL_FAILURES

log = logging.getLogger(__name__)
STORE_TIMEOUT_S = 1.0  # a local SQLite read takes milliseconds
CLAIM_IDLE_S = 15 * 60  # a holder silent this long (browser closed, shift over): the assistant answers again


async def converse(dialogue, retriever, channel: str, user: str, text: str,
                   metadata: dict | None = None) -> list[BotMessage]:
    """→ the dialogue's messages; a waiting notice while queued; a cited retrieval answer when it fails;
    no message while a staff member holds the conversation (the text is theirs to answer). `metadata`
    ({"region": …} from the widget's page or the WeChat account) travels with the message to Rasa."""
    started, sender = time.monotonic(), f"{channel}:{user}"
    asked = ("citizen", text, {"at": time.time()})
    state = await _handoff_state(sender)
    if _with_staff(state) and not text.startswith("/"):  # a button (取消排队, 👍) still goes to the bot
        await _journal(sender, channel, [asked])
        return []
    messages = await _reply(dialogue, retriever, sender, text, waiting=bool(state), metadata=metadata)
    _count(channel, messages)
    latency_ms = round((time.monotonic() - started) * 1000, 1)
    await _journal(sender, channel, [asked, *[("bot", m.text, {"citations": [c.get("clause_id", "") for c in m.citations],
                                                               "outcome": journal.outcome(m.extra), "latency_ms": latency_ms})
                                              for m in messages]])
    return messages


async def _reply(dialogue, retriever, sender: str, text: str, waiting: bool, metadata: dict | None) -> list[BotMessage]:
    """→ the dialogue's messages for a citizen no staff member holds, never nothing."""
    understood = understand(text)
    if understood.needs_chinese:
        return [BotMessage(ASK_CHINESE, extra={"kind": "clarify"})]
    text = understood.text
    try:
        messages = await (dialogue.reply(sender, text, metadata) if metadata else dialogue.reply(sender, text))
    except DialogueUnavailable as exc:
        log.warning("dialogue unavailable, answering from retrieval: %s", exc)
        messages = None
    if messages is not None and not _answers(messages) and waiting:
        return [BotMessage(WAITING, buttons=[CANCEL_BUTTON], extra={"waiting": True, "kind": "waiting"})]
    if not messages:
        if messages == []:
            log.warning("dialogue answered nothing for %s (action server down?), answering from retrieval", sender)
        FALLBACKS.inc()
        messages = [await asyncio.to_thread(answer_from_retrieval, retriever, without_placeholder(text))]
    return messages


async def _handoff_state(sender: str) -> tuple | None:
    """→ (status, claimed_by, last activity) of the conversation's open handoff request, or None; a handoff store that does
    not answer within STORE_TIMEOUT_S (a locked or hung database) counts as none, and the bot answers."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(store.handoff_state, sender), STORE_TIMEOUT_S)
    except TimeoutError:
        log.warning("handoff store did not answer within %.0f s; answering %s from retrieval", STORE_TIMEOUT_S, sender)
        return None


async def _journal(sender: str, channel: str, rows: list[tuple[str, str, dict]]) -> None:
    """(role, text, fields) rows of one turn → written to the journal in one transaction; a failure or a hang
    is logged and counted, and the turn goes on."""
    try:
        await asyncio.wait_for(asyncio.to_thread(journal.record_many, sender, channel, rows), STORE_TIMEOUT_S)
    except Exception as exc:  # the journal serves staff and reports; a citizen's answer never waits on it
        JOURNAL_FAILURES.inc()
        log.error("journal write failed for %s: %r", sender, exc)


def _with_staff(state: tuple | None) -> bool:
    """Whether a staff member holds the conversation and has acted within CLAIM_IDLE_S (an abandoned claim
    must not leave the citizen talking to nobody)."""
    return bool(state and state[0] == "claimed" and time.time() - (state[2] or 0) < CLAIM_IDLE_S)


def _answers(messages: list[BotMessage]) -> bool:
    """True when a reply does something for the citizen (an answer, a question back, a queue change), not small talk."""
    return any("answerable" in m.extra or "kind" in m.extra or "handoff" in m.extra for m in messages)


def _count(channel: str, messages: list[BotMessage]) -> None:
    for m in messages:
        if "answerable" in m.extra:
            ANSWERS.labels(channel, str(m.extra["answerable"]).lower()).inc()
        if m.extra.get("handoff"):
            HANDOFFS.labels(channel).inc()
