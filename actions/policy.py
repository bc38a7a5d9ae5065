"""Policy answers: a question (sharpened by the conversation's slots) → quoted, cited clauses or an honest no."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.context import privacy_notice, queue_question
from actions.knowledge_access import documents, retriever
from knowledge.answer import citation_payload, compose
from knowledge.benefits import canonical_group, default_lexicon
from knowledge.errors import QueryError
from knowledge.texts import OUT_OF_SCOPE
from knowledge.understand import MAX_QUESTIONS, questions, without_placeholder

GUANGDONG = ("广东", "广州", "深圳", "珠海", "汕头", "佛山", "韶关", "湛江", "肇庆", "江门", "茂名", "惠州", "梅州",
             "汕尾", "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮")
HANDOFF_BUTTON = {"title": "转人工", "payload": "/human_handoff"}


def sharpen(question: str, tracker: Tracker) -> str:
    """The question plus the citizen's group when the question does not already name it."""
    group = canonical_group(tracker.get_slot("group") or "") if tracker.get_slot("group") else None
    if group and not any(t in question for t in default_lexicon().groups[group] + [group]):
        return f"{group}：{question}"
    return question


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, query: str) -> list[dict[str, Any]]:
    """Search query → utter the cited answer (or the honest no) → slot events for follow-ups."""
    try:
        result = retriever().search(query, 5)
    except QueryError as exc:
        dispatcher.utter_message(**render.message(str(exc)))
        return []
    result.hits = _for_region(result.hits, tracker.get_slot("region"))
    reply = compose(query, result, documents())
    if not reply.answerable:
        dispatcher.utter_message(**render.message(reply.text, buttons=[HANDOFF_BUTTON], answerable=False))
        return [SlotSet("last_clause_ids", [])]
    citations = [citation_payload(h.clause, h.doc_title) for h in reply.hits]
    buttons = [] if reply.specific else [HANDOFF_BUTTON]
    dispatcher.utter_message(**render.message(reply.text, citations, buttons, answerable=True, specific=reply.specific))
    return [SlotSet("last_topic", query), SlotSet("last_clause_ids", [h.clause.clause_id for h in reply.hits])]


def _for_region(hits, region: str | None):
    """A regional document applies only to citizens of its province: others get national documents only."""
    if not region or region in ("全国",):
        return hits
    docs = documents()
    return [h for h in hits if _applies(docs[h.clause.doc_id].region if h.clause.doc_id in docs else "全国", region)]


def _applies(doc_region: str, region: str) -> bool:
    """A document's region and the citizen's → True when the document governs where the citizen is."""
    if doc_region == "全国":
        return True
    if doc_region.startswith("广东"):
        return any(place in region for place in GUANGDONG)
    return doc_region[:2] in region or region[:2] in doc_region


class ActionAnswerPolicy(Action):
    def name(self) -> str:
        return "action_answer_policy"

    def run(self, dispatcher, tracker: Tracker, domain):
        """The latest message → (once) the hidden-numbers notice, a cited answer per question, the queue question."""
        events = privacy_notice(dispatcher, tracker)
        events += answer_each(dispatcher, tracker, without_placeholder(tracker.latest_message.get("text", "")))
        return events + [SlotSet("last_list", None)] + queue_question(dispatcher, tracker)


def answer_each(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[dict[str, Any]]:
    """A message asking one or several questions → each answered under its own heading; extra ones named."""
    asked = questions(text)
    events: list[dict[str, Any]] = []
    for n, question in enumerate(asked[:MAX_QUESTIONS], start=1):
        if len(asked) > 1:
            dispatcher.utter_message(**render.message(f"您的第{n}个问题：{question}", kind="question_heading"))
        events += answer(dispatcher, tracker, sharpen(question, tracker))
    if len(asked) > MAX_QUESTIONS:
        rest = "；".join(f"「{q}」" for q in asked[MAX_QUESTIONS:])
        dispatcher.utter_message(**render.message(f"您还问了{rest}，一次回答不完，请单独发送，我再逐一为您解答。",
                                                  kind="not_covered"))
    return events


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher, tracker: Tracker, domain):
        """An off-topic message → what the assistant covers, and where else to turn."""
        dispatcher.utter_message(**render.message(OUT_OF_SCOPE, buttons=[HANDOFF_BUTTON], answerable=False))
        return []
