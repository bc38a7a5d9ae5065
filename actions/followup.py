"""Follow-ups: 「那需要什么条件」「去哪里办」「这个还有效吗」 answered about the previous topic."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker

from actions import render
from actions.knowledge_access import documents, retriever
from actions.policy import HANDOFF_BUTTON, answer, answer_each
from knowledge import qtype
from knowledge.answer import citation_payload, currency_notice
from knowledge.errors import QueryError
from knowledge.texts import WHERE_TO_ASK
from knowledge.understand import without_placeholder

ORDINAL = re.compile(r"(?:上面|刚才|列表里)?的?第\s*([0-9]+|[一二两三四五六七八九十]+)\s*(?:个|条|项|种|点)?")
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def ordinal(text: str) -> int | None:
    """「第二个怎么申请」 → 2, 「第12条」 → 12, 「第十一项」 → 11; None without an ordinal."""
    match = ORDINAL.search(text)
    if not match:
        return None
    word = match.group(1)
    if word.isdigit():
        return int(word)
    tens, _, units = word.rpartition("十")
    if "十" not in word:
        return _DIGITS.get(word)
    return (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)


def names_its_own_topic(text: str, topic: str | None) -> bool:
    """A follow-up-like message → True when it names what it asks about (a key concept, knowledge/concepts.py)
    that the previous topic does not: then it is a new question, not a follow-up."""
    try:
        key = retriever().search(without_placeholder(text), 1).key_concepts
    except QueryError:  # nothing searchable: the follow-up paths below answer it
        return False
    return bool(key) and not all(concept in (topic or "") for concept in key)


class ActionAnswerFollowup(Action):
    def name(self) -> str:
        return "action_answer_followup"

    def run(self, dispatcher, tracker: Tracker, domain):
        """A follow-up → the Nth item of the last list, validity, where-to-apply, or 'previous topic + follow-up'."""
        text = tracker.latest_message.get("text", "")
        topic = tracker.get_slot("last_topic")
        clause_ids = tracker.get_slot("last_clause_ids") or []
        n, items = ordinal(text), tracker.get_slot("last_list") or []
        if n is not None and items:
            return self._item(dispatcher, tracker, items, n, text)
        if names_its_own_topic(text, topic):  # 「失业登记在哪个窗口办」 asks about 失业登记, whatever came before
            return answer_each(dispatcher, tracker, without_placeholder(text))
        if not topic:
            dispatcher.utter_message(**render.message("请问您想了解哪一项政策？例如：创业担保贷款、就业见习补贴。"))
            return []
        kind = qtype.classify(text)  # the question types' cue words, not a second list
        if kind == "validity" and clause_ids:
            return self._validity(dispatcher, clause_ids)
        if kind in ("place", "procedure") and clause_ids:
            return self._where(dispatcher, clause_ids)
        return answer(dispatcher, tracker, f"{topic} {text}")

    def _item(self, dispatcher, tracker, items: list[str], n: int, text: str):
        """「第N个…」 after a list → the question asked about its Nth item (or which item, when out of range)."""
        if not 1 <= n <= len(items):
            buttons = [{"title": item, "payload": item} for item in items]
            dispatcher.utter_message(**render.message(f"上一条列表共有 {len(items)} 项，请问您指的是哪一项？", buttons=buttons,
                                                      kind="clarify"))
            return []
        rest = ORDINAL.sub("", text).strip(" ，,？?") or "是什么，谁能享受"
        return answer(dispatcher, tracker, f"{items[n - 1]}{rest}")

    def _clauses(self, clause_ids):
        by_id = {c.clause_id: c for c in retriever().index.clauses}
        return [by_id[i] for i in clause_ids if i in by_id]

    def _validity(self, dispatcher, clause_ids):
        clauses = self._clauses(clause_ids)
        text = "关于上一条答复所依据的条款：" + currency_notice(clauses, documents())
        dispatcher.utter_message(**render.message(text, self._citations(clauses)))
        return []

    def _where(self, dispatcher, clause_ids):
        clauses = self._clauses(clause_ids)  # departments stay in the citations' details, not in the text
        text = qtype.NOT_STATED["place"] + WHERE_TO_ASK
        dispatcher.utter_message(**render.message(text, self._citations(clauses), buttons=[HANDOFF_BUTTON]))
        return []

    def _citations(self, clauses):
        titles = retriever().index.doc_titles
        return [citation_payload(c, titles.get(c.doc_id, "")) for c in clauses]
