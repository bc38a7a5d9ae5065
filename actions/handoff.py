"""A person and feedback: 「转人工」 queues the conversation (cancel or keep at will); complaints; 👍/👎 recorded.

The bot is not paused while a request waits: a question asked meanwhile is answered and the
citizen chooses to keep or drop the queue place (actions.context.queue_question); anything else
gets the gateway's waiting notice.
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet

from actions import render, store
from actions.context import CANCEL_BUTTON
from actions.policy import HANDOFF_BUTTON, answer_each
from knowledge.texts import COMPLAINT, HANDOFF_QUEUED
from knowledge.understand import is_question, without_placeholder


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher, tracker: Tracker, domain):
        """Queue the conversation for staff and tell the citizen how to leave the queue."""
        ticket = store.add_handoff(tracker.sender_id, _last_question(tracker))
        text = HANDOFF_QUEUED.format(ticket=ticket)
        dispatcher.utter_message(**render.message(text, buttons=[CANCEL_BUTTON], handoff=True, kind="handoff"))
        return [SlotSet("handoff_kept", None)]


class ActionCancelHandoff(Action):
    def name(self) -> str:
        return "action_cancel_handoff"

    def run(self, dispatcher, tracker: Tracker, domain):
        """Leave the queue; a question asked in the same message (「算了不用人工了，X怎么申请」) is answered."""
        ticket = store.cancel_handoff(tracker.sender_id)
        text = f"已为您取消人工排队（排队号 {ticket}）。" if ticket else "您目前没有在排队等待人工。"
        dispatcher.utter_message(**render.message(text + "有问题可以继续问我。", kind="handoff_cancelled"))
        asked = "？".join(p for p in re.split(r"[，,。！!？?；;]", without_placeholder(tracker.latest_message.get("text", "")))
                         if is_question(p))
        return answer_each(dispatcher, tracker, asked) if asked else []


class ActionKeepHandoff(Action):
    def name(self) -> str:
        return "action_keep_handoff"

    def run(self, dispatcher, tracker: Tracker, domain):
        """Keep the queue place (and stop asking about it)."""
        ticket = store.waiting_ticket(tracker.sender_id)
        if ticket is None:
            dispatcher.utter_message(**render.message("您目前没有在排队等待人工。需要时请说「转人工」。", buttons=[HANDOFF_BUTTON]))
            return []
        dispatcher.utter_message(**render.message(f"好的，已为您保留排队号 {ticket}，工作人员会尽快联系您。", kind="handoff_kept"))
        return [SlotSet("handoff_kept", ticket)]


class ActionComplaint(Action):
    def name(self) -> str:
        return "action_complaint"

    def run(self, dispatcher, tracker: Tracker, domain):
        """A complaint → where complaints go (the government hotline, labour inspection) and a person; never a policy search."""
        dispatcher.utter_message(**render.message(COMPLAINT, buttons=[HANDOFF_BUTTON], answerable=False, kind="complaint"))
        return []


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
                                                      buttons=[HANDOFF_BUTTON]))
        return []


def _last_question(tracker: Tracker) -> str:
    """→ the citizen's latest message that is not the request for a person itself (what staff see)."""
    for e in reversed(tracker.events):
        intent = ((e.get("parse_data") or {}).get("intent") or {}).get("name")
        text = e.get("text") or ""
        if e.get("event") == "user" and text and not text.startswith("/") and intent != "human_handoff":
            return text
    return ""
