"""A person and feedback: 「转人工」 pauses the bot and queues the conversation; 👍/👎 are recorded."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused

from actions import render, store
from knowledge.answer import HOTLINE


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher, tracker: Tracker, domain):
        """Queue the conversation for staff, tell the citizen, pause the bot."""
        ticket = store.add_handoff(tracker.sender_id, _last_question(tracker))
        text = (f"已为您转接人工服务（排队号 {ticket}），工作人员会尽快在此回复您，在此期间机器人暂停回答。"
                f"如需立即咨询，请拨打 {HOTLINE}。")
        dispatcher.utter_message(**render.message(text, handoff=True))
        return [ConversationPaused()]


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    def run(self, dispatcher, tracker: Tracker, domain):
        """👍/👎 → a feedback row tied to the clauses of the last answer."""
        rating = "good" if (tracker.latest_message.get("intent") or {}).get("name") == "feedback_good" else "bad"
        store.add_feedback(tracker.sender_id, rating, tracker.get_slot("last_clause_ids") or [], tracker.get_slot("last_topic") or "")
        if rating == "good":
            dispatcher.utter_message(**render.message("感谢您的反馈！"))
        else:
            dispatcher.utter_message(**render.message("很抱歉没能帮到您。您可以换个说法再问，或转人工由工作人员解答。",
                                                      buttons=[{"title": "转人工", "payload": "/human_handoff"}]))
        return []


def _last_question(tracker: Tracker) -> str:
    """→ the citizen's latest message that is not the request for a person itself (what staff see)."""
    for e in reversed(tracker.events):
        intent = ((e.get("parse_data") or {}).get("intent") or {}).get("name")
        text = e.get("text") or ""
        if e.get("event") == "user" and text and not text.startswith("/") and intent != "human_handoff":
            return text
    return ""
