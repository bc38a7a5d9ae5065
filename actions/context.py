"""What a turn already tells: a message (and the conversation) → named group/region, notices owed to the citizen.

- A group or region named in the message is never asked for again: when DIET misses a mention
  (「退伍3年的老兵」), the NLU's own entity vocabulary (`data/nlu/vocabulary.yml`) finds it here.
- The citizen is told once that personal numbers were hidden (the gateway leaves a placeholder).
- While a handoff request waits, an answered question asks whether to keep the queue place.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import render, store
from knowledge.understand import PLACEHOLDER

NLU_LEXICONS = [Path(__file__).resolve().parent.parent / "data" / "nlu" / name for name in ("vocabulary.yml",)]
PRIVACY_NOTICE = ("为保护您的隐私，您消息中的手机号、身份证号或银行卡号已自动隐藏，不会被记录。"
                  "咨询政策不需要提供这些号码。")
# 「算了不用人工了，X怎么申请」: the NLU hears the question; the withdrawal is honoured here too
WITHDRAW = re.compile(r"(?:不用|不要|不需要|别|取消|算了)[^，,。？?]{0,3}(?:人工|排队|客服)|(?:人工|排队)[^，,。？?]{0,2}(?:不要|不用|取消)")
KEEP_BUTTON = {"title": "保留排队", "payload": "/keep_handoff"}
CANCEL_BUTTON = {"title": "取消排队", "payload": "/cancel_handoff"}


@functools.lru_cache(maxsize=1)
def _mentions() -> dict[str, dict[str, str]]:
    """The NLU's lookup tables and synonyms → {entity: {mention: value}} (a lookup term without a synonym is its own value)."""
    blocks = [b for path in NLU_LEXICONS for b in yaml.safe_load(path.read_text("utf-8"))["nlu"]]
    synonyms = {term: b["synonym"] for b in blocks if "synonym" in b for term in _terms(b)}
    return {b["lookup"]: {term: synonyms.get(term, term) for term in _terms(b)} for b in blocks if "lookup" in b}


def _terms(block: dict) -> list[str]:
    return [t.strip() for t in re.findall(r"^\s*-\s*(.+)$", block["examples"], re.MULTILINE)]


def mentioned(entity: str, text: str) -> str | None:
    """('group', '我是退伍的老兵') → '退役军人': the value of the longest mention in the text, or None."""
    found = [m for m in _mentions().get(entity, {}) if m in text]
    return _mentions()[entity][max(found, key=len)] if found else None


def without_mentions(entity: str, text: str) -> str:
    """('group', '那残疾人呢') → '那呢': the text without any mention of the entity (longest first)."""
    for mention in sorted(_mentions().get(entity, {}), key=len, reverse=True):
        text = text.replace(mention, "")
    return text


def slot_or_mention(tracker: Tracker, entity: str) -> str | None:
    """The slot's value when the NLU vocabulary knows it (DIET sometimes tags 的/在/跑 as a group), else what the
    latest message names (DIET may have missed it)."""
    value = tracker.get_slot(entity)
    known = _mentions().get(entity, {})
    if value and (value in known or value in known.values()):
        return known.get(value, value)
    return mentioned(entity, tracker.latest_message.get("text") or "")


def privacy_notice(dispatcher, tracker: Tracker) -> list[dict]:
    """Tell the citizen once per conversation that the numbers they typed were hidden → slot events."""
    if PLACEHOLDER not in (tracker.latest_message.get("text") or "") or tracker.get_slot("privacy_notice_given"):
        return []
    dispatcher.utter_message(**render.message(PRIVACY_NOTICE, kind="privacy_notice"))
    return [SlotSet("privacy_notice_given", True)]


def queue_question(dispatcher, tracker: Tracker) -> list[dict]:
    """After an answer while waiting for a person: keep the queue place or drop it? (unless already kept);
    a message that also withdraws the request (「不用人工了」) leaves the queue instead."""
    ticket = store.waiting_ticket(tracker.sender_id)
    if ticket is None:
        return []
    if WITHDRAW.search(tracker.latest_message.get("text") or ""):
        store.cancel_handoff(tracker.sender_id)
        dispatcher.utter_message(**render.message(f"已为您取消人工排队（排队号 {ticket}）。", kind="handoff_cancelled"))
        return []
    if tracker.get_slot("handoff_kept") == ticket:
        return []
    text = f"您仍在人工排队中（排队号 {ticket}）。问题已经解决的话可以取消排队，需要工作人员的话请保留。"
    dispatcher.utter_message(**render.message(text, buttons=[KEEP_BUTTON, CANCEL_BUTTON], kind="handoff_question"))
    return []
