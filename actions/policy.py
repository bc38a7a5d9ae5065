"""Policy answers: a question (sharpened by the conversation's slots) → quoted, cited clauses or an honest no."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import region, render
from actions.context import mentioned, privacy_notice, queue_question
from actions.curation import curator
from actions.knowledge_access import documents, retriever
from knowledge import qtype, regions
from knowledge.answer import citation_payload, compose
from knowledge.benefits import canonical_group, default_lexicon
from knowledge.errors import QueryError
from knowledge.texts import OUT_OF_SCOPE
from knowledge.understand import MAX_QUESTIONS, questions, without_placeholder

CANDIDATES = 20  # searched before the region filter, so a citizen elsewhere still gets the national rule
SEARCHED = 60  # hits read for each further document's best (regions.with_each_document)
QUOTED = 5
HANDOFF_BUTTON = {"title": "转人工", "payload": "/human_handoff"}


def sharpen(question: str, tracker: Tracker, several: bool = False) -> str:
    """The question plus the citizen's group when the question does not use its policy term; in a message asking
    several questions, a group it names belongs to the question that names it (「创业担保贷款怎么申请？高校毕业生…有吗？」)."""
    group = canonical_group(tracker.get_slot("group") or "") if tracker.get_slot("group") else None
    if several and names_group(tracker) and mentioned("group", question) is None:
        return question
    return with_group(question, group)


def with_group(question: str, group: str | None) -> str:
    """「我是美团骑手能以个人身份参保吗」, 新就业形态劳动者 → the question prefixed with the group's policy term,
    unless it already uses one (colloquial names such as 骑手 are not the documents' words)."""
    if not group or any(t in question for t in default_lexicon().groups[group] + [group]):
        return question
    return f"{group}：{question}"


def names_group(tracker: Tracker) -> bool:
    """True when the latest message names a group itself: an NLU group entity or a mention of the NLU lexicon."""
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") == "group" for e in entities) or mentioned("group", tracker.latest_message.get("text") or "") is not None


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, query: str,
           place: region.Place | None = None) -> list[dict[str, Any]]:
    """Search query (and where the citizen is) → utter the cited answer, the honest no or the region question
    → slot events for follow-ups."""
    try:
        result = curator().apply(retriever().search(query, SEARCHED), retriever())  # staff links and "not covered" marks
    except QueryError as exc:
        dispatcher.utter_message(**render.message(str(exc)))
        return []
    events: list[dict[str, Any]] = []
    if place is None:  # called from another action (follow-up, handoff): the region events are this call's
        place = region.of_turn(tracker)
        events = place.events
    docs = documents()
    by_region = {d: doc.region for d, doc in docs.items()}
    choice = regions.choose(regions.with_each_document(result.hits, CANDIDATES), by_region, {d: doc.source for d, doc in docs.items()}, place.name,
                            qtype.classify(query))
    result.hits = choice.hits[:QUOTED]
    reply = compose(query, result, docs)
    if not reply.answerable:  # an honest no, perhaps with a clause offered as related (its citation shown)
        citations = [citation_payload(h.clause, h.doc_title) for h in reply.hits]
        dispatcher.utter_message(**render.message(reply.text, citations, buttons=[HANDOFF_BUTTON], answerable=False))
        return events + [SlotSet("last_clause_ids", [])]
    if choice.ask and not tracker.get_slot("region_asked"):
        region.ask(dispatcher, regions.library_regions(by_region))
        return events + [SlotSet("region_question", query), SlotSet("region_asked", True)]
    text = reply.text + _region_note(choice, place.name, reply.hits, by_region)
    citations = [citation_payload(h.clause, h.doc_title) for h in reply.hits]
    buttons = [] if reply.specific else [HANDOFF_BUTTON]
    dispatcher.utter_message(**render.message(text, citations, buttons, answerable=True, specific=reply.specific))
    return events + [SlotSet("last_topic", query), SlotSet("last_clause_ids", [h.clause.clause_id for h in reply.hits])]


def _region_note(choice: regions.Choice, citizen: str | None, quoted, by_region) -> str:
    """→ '' or a newline and the sentence on where the quoted rule holds (or that no local rule is kept)."""
    if choice.no_local:
        return "\n" + region.no_local_rule(citizen)
    if choice.local_of and any(regions.document_region(by_region.get(h.clause.doc_id, "")) == choice.local_of for h in quoted):
        return "\n" + region.local_only(choice.local_of)
    return ""


class ActionAnswerPolicy(Action):
    def name(self) -> str:
        return "action_answer_policy"

    def run(self, dispatcher, tracker: Tracker, domain):
        """The latest message → (once) the hidden-numbers notice, a cited answer per question, the queue question."""
        events = privacy_notice(dispatcher, tracker)
        place = region.of_turn(tracker)
        events += place.events
        if place.said or place.unknown:
            return events + self._region_given(dispatcher, tracker, place)
        events += answer_each(dispatcher, tracker, without_placeholder(tracker.latest_message.get("text", "")), place)
        return events + [SlotSet("last_list", None)] + queue_question(dispatcher, tracker)

    @staticmethod
    def _region_given(dispatcher, tracker: Tracker, place: region.Place) -> list[dict[str, Any]]:
        """A message that only says where the citizen is → the question it answers, a confirmation, or the
        region question again when the place is unknown."""
        if place.unknown:
            region.ask(dispatcher, regions.library_regions({d: doc.region for d, doc in documents().items()}), place.unknown)
            return []
        pending = tracker.get_slot("region_question")
        if not pending:
            dispatcher.utter_message(**render.message(region.NOTED.format(where=region.where(place.name)), kind="clarify"))
            return []
        return answer(dispatcher, tracker, pending, place) + [SlotSet("region_question", None)]


def answer_each(dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                place: region.Place | None = None) -> list[dict[str, Any]]:
    """A message asking one or several questions → each answered under its own heading; extra ones named."""
    asked = questions(text)
    events: list[dict[str, Any]] = []
    for n, question in enumerate(asked[:MAX_QUESTIONS], start=1):
        if len(asked) > 1:
            dispatcher.utter_message(**render.message(f"您的第{n}个问题：{question}", kind="question_heading"))
        events += answer(dispatcher, tracker, sharpen(question, tracker, several=len(asked) > 1), place)
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
