"""Benefit lists: a group (asked for when missing) → every distinct benefit the documents give it, cited."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet

from actions import render
from actions.context import privacy_notice, queue_question, slot_or_mention, without_mentions
from actions.knowledge_access import retriever
from actions.policy import answer, with_group
from knowledge.answer import citation_payload, currency_notice
from knowledge.cite import brief
from knowledge.benefits import benefits_for, canonical_group, default_lexicon
from knowledge.understand import is_question, without_placeholder

# 「有什么补贴」「能享受哪些」「有没有啥好政策」: what asking for the list sounds like
LIST_ASK = re.compile(r"(?:什么|哪些|啥|哪几[种项样])[^，,。？?]{0,3}(?:补贴|补助|政策|扶持|优惠|帮扶|支持|保障|帮助|福利|待遇|钱|好处)"
                      r"|能(?:领|拿|享受)(?:什么|哪些|啥)|(?:有没有|有无)(?:啥|什么)?好?(?:政策|补贴|扶持|优惠)"
                      r"|(?:补贴|政策|扶持|优惠)(?:有哪些|有什么)|有(?:补贴|补助|政策|扶持|优惠|福利)(?:吗|没|不|么)")
_GLUE = re.compile(r"[我你他她它们是那这呢吗啊呀吧的了，,。？?！!、\s]")
ASK_GROUP = "请问您属于哪类人群？选择后我为您列出可以关注的补贴和扶持政策。"


def group_buttons() -> list[dict]:
    """→ one quick-reply button per group the documents name."""
    return [{"title": g, "payload": f'/inform_group{{"group":"{g}"}}'} for g in default_lexicon().groups]


class ActionListBenefits(Action):
    def name(self) -> str:
        return "action_list_benefits"

    def run(self, dispatcher, tracker: Tracker, domain):
        """Group (slot or named in the message) → the benefit list; 「那我呢」 after an answer → that answer for
        the new group; a group without a list, a question naming one benefit or asking something other than the
        list (「我是骑手能以个人身份参保吗」) → a cited answer;
        no group → the clarifying question with buttons."""
        named = slot_or_mention(tracker, "group")
        events = privacy_notice(dispatcher, tracker) + ([SlotSet("group", named)] if named else [])
        if named and _after_an_answer(tracker):
            topic = re.sub(r"^[^：]{2,12}：", "", tracker.get_slot("last_topic"))  # drop the previous group
            return events + answer(dispatcher, tracker, f"{named}：{topic}") + queue_question(dispatcher, tracker)
        group, text = canonical_group(named or ""), without_placeholder(tracker.latest_message.get("text", ""))
        if named and (group is None or names_a_benefit(text) or asks_something_else(text)):  # 「…能不能领求职创业补贴」
            query = with_group(text, group) if group else f"{named}：{text}"
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


def asks_something_else(text: str) -> bool:
    """True when a message naming a group asks a question that is not for the list (「我是骑手能以个人身份参保吗」),
    not when it only names the group (「那残疾人呢」「那我呢，我是退役军人」)."""
    rest = _GLUE.sub("", without_mentions("group", text))
    return len(rest) >= 2 and is_question(text) and not LIST_ASK.search(text)


def names_a_benefit(text: str) -> bool:
    """True when the message names one benefit of the lexicon (a question about it, not a request for a list)."""
    return any(term in text for name, terms in default_lexicon().benefits.items() for term in (name, *terms))


def _after_an_answer(tracker: Tracker) -> bool:
    """True when the citizen names a group right after a policy answer (「那我呢？我是退役军人」), not a list."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "inform_group" and bool(tracker.get_slot("last_topic")) and not tracker.get_slot("last_list")
