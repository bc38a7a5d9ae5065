"""Benefit lists: a group (asked for when missing) → every distinct benefit the documents give it, cited."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet

from actions import render
from actions.context import mentioned, privacy_notice, queue_question, slot_or_mention
from actions.knowledge_access import retriever
from actions.policy import answer
from knowledge.answer import citation_payload, currency_notice
from knowledge.cite import brief
from knowledge.benefits import benefits_for, canonical_group, default_lexicon
from knowledge.understand import without_placeholder

ASK_GROUP = "请问您属于哪类人群？选择后我为您列出可以关注的补贴和扶持政策。"


def group_buttons() -> list[dict]:
    """→ one quick-reply button per group the documents name."""
    return [{"title": g, "payload": f'/inform_group{{"group":"{g}"}}'} for g in default_lexicon().groups]


class ActionListBenefits(Action):
    def name(self) -> str:
        return "action_list_benefits"

    def run(self, dispatcher, tracker: Tracker, domain):
        """Group (slot or named in the message) → the benefit list; 「那我呢」 after an answer → that answer for
        the new group; a group without a list, or a question naming one benefit → a cited answer;
        no group → the clarifying question with buttons."""
        named = slot_or_mention(tracker, "group")
        events = privacy_notice(dispatcher, tracker) + ([SlotSet("group", named)] if named else [])
        if named and _after_an_answer(tracker):
            topic = re.sub(r"^[^：]{2,12}：", "", tracker.get_slot("last_topic"))  # drop the previous group
            return events + answer(dispatcher, tracker, f"{named}：{topic}") + queue_question(dispatcher, tracker)
        group, text = canonical_group(named or ""), without_placeholder(tracker.latest_message.get("text", ""))
        if named and (group is None or names_a_benefit(text)):  # 「…能不能领求职创业补贴」 asks about one benefit
            query = text if mentioned("group", text) else f"{named}：{text}"  # a group already named stays as said
            return events + answer(dispatcher, tracker, query) + queue_question(dispatcher, tracker)
        if group is None:
            dispatcher.utter_message(**render.message(ASK_GROUP, buttons=group_buttons(), kind="clarify"))
            return events + [SlotSet("last_topic", None)]  # the group that comes next is for this list
        return events + self._list(dispatcher, group) + queue_question(dispatcher, tracker)

    def _list(self, dispatcher, group: str) -> list[dict]:
        """A group of the benefit lexicon → its cited benefit list → slot events for 「第N个」 follow-ups."""
        index = retriever().index
        benefits = benefits_for(group, index.clauses_in_force)
        if not benefits:
            dispatcher.utter_message(**render.message(f"政策文件中没有找到专门面向{group}的补贴或扶持条款。"))
            return [SlotSet("last_list", None)]
        lines, citations, cited = [f"根据政策文件，{group}可以关注以下 {len(benefits)} 项政策："], [], []
        for n, benefit in enumerate(benefits, start=1):
            clause = benefit.clauses[0]  # one citation per entry
            title = index.doc_titles.get(clause.doc_id, "")
            scope = "（面向所有符合条件的人员）" if benefit.general else ""
            lines.append(f"{n}. {benefit.name}{scope}（{brief(clause, title)}）")
            citations.append(citation_payload(clause, title, benefit=benefit.name))
            cited.append(clause)
        lines.append("点击下方引用可查看条款原文。" + currency_notice(cited, index.by_id))
        dispatcher.utter_message(**render.message("\n".join(lines), citations, kind="benefits"))
        return [SlotSet("last_topic", f"{group}的补贴和扶持政策"), SlotSet("last_clause_ids", [c.clause_id for c in cited]),
                SlotSet("last_list", [b.name for b in benefits])]


def names_a_benefit(text: str) -> bool:
    """True when the message names one benefit of the lexicon (a question about it, not a request for a list)."""
    return any(term in text for name, terms in default_lexicon().benefits.items() for term in (name, *terms))


def _after_an_answer(tracker: Tracker) -> bool:
    """True when the citizen names a group right after a policy answer (「那我呢？我是退役军人」), not a list."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "inform_group" and bool(tracker.get_slot("last_topic")) and not tracker.get_slot("last_list")
