"""Policy answers: a question (sharpened by the conversation's slots) → quoted, cited clauses or an honest no."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from knowledge.answer import HOTLINE, citation_payload, currency_notice, quote
from actions.knowledge_access import documents, retriever
from knowledge.cite import replaced_line
from knowledge.benefits import canonical_group, default_lexicon
from knowledge.errors import QueryError

SECOND_CLAUSE_MARGIN = 0.05  # quote a second clause when it scores this close to the best
GUANGDONG = ("广东", "广州", "深圳", "珠海", "汕头", "佛山", "韶关", "湛江", "肇庆", "江门", "茂名", "惠州", "梅州",
             "汕尾", "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮")
HANDOFF_BUTTON = {"title": "转人工", "payload": "/human_handoff"}
NO_ANSWER = ("很抱歉，现有的政策文件中没有找到能回答这个问题的条款，我不能凭猜测回答。"
             f"您可以拨打 {HOTLINE} 人社服务热线，或点击「转人工」由工作人员为您解答。")


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
    hits = _for_region(result.hits, tracker.get_slot("region"))
    replaced = replaced_line(result, documents())
    if not result.answerable or not hits:
        dispatcher.utter_message(**render.message(NO_ANSWER, buttons=[HANDOFF_BUTTON], answerable=False))
        return [SlotSet("last_clause_ids", [])]
    chosen = [h for h in hits[:2] if h.score >= hits[0].score - SECOND_CLAUSE_MARGIN]
    clauses = [h.clause for h in chosen]
    text = replaced + "根据政策文件的规定：\n" + "\n".join(quote(h.clause, h.doc_title) for h in chosen)
    text += "\n" + currency_notice(clauses, documents())
    citations = [citation_payload(h.clause, h.doc_title) for h in chosen]
    dispatcher.utter_message(**render.message(text, citations, answerable=True))
    return [SlotSet("last_topic", query), SlotSet("last_clause_ids", [c.clause_id for c in clauses])]


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
        """The latest question → cited answer."""
        return answer(dispatcher, tracker, sharpen(tracker.latest_message.get("text", ""), tracker))


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher, tracker: Tracker, domain):
        """An off-topic message → what the assistant covers, and where else to turn."""
        text = ("抱歉，这个问题不在我能回答的范围内。我只能根据就业创业政策文件回答补贴、创业扶持、"
                f"社保参保、培训等问题。其他事项请拨打 12345 政务服务热线或 {HOTLINE}，也可以转人工。")
        dispatcher.utter_message(**render.message(text, buttons=[HANDOFF_BUTTON], answerable=False))
        return []
