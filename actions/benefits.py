"""Benefit lists: a group (asked for when missing) → every distinct benefit the documents give it, cited."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet

from actions import render
from knowledge.answer import citation_payload, currency_notice
from actions.knowledge_access import retriever
from knowledge.benefits import benefits_for, canonical_group, default_lexicon

ASK_GROUP = "请问您属于哪类人群？选择后我为您列出可以关注的补贴和扶持政策。"


def group_buttons() -> list[dict]:
    """→ one quick-reply button per group the documents name."""
    return [{"title": g, "payload": f'/inform_group{{"group":"{g}"}}'} for g in default_lexicon().groups]


class ActionListBenefits(Action):
    def name(self) -> str:
        return "action_list_benefits"

    def run(self, dispatcher, tracker: Tracker, domain):
        """Group slot → the benefit list, or the clarifying question with buttons."""
        group = canonical_group(tracker.get_slot("group") or "")
        if group is None:
            dispatcher.utter_message(**render.message(ASK_GROUP, buttons=group_buttons()))
            return []
        index = retriever().index
        benefits = benefits_for(group, index.clauses_in_force)
        if not benefits:
            dispatcher.utter_message(**render.message(f"政策文件中没有找到专门面向{group}的补贴或扶持条款。"))
            return []
        lines, citations, cited = [f"根据政策文件，{group}可以关注以下 {len(benefits)} 项政策："], [], []
        for n, benefit in enumerate(benefits, start=1):
            refs = "；".join(f"{c.doc_number or '《' + index.doc_titles.get(c.doc_id, '') + '》'} {' / '.join(c.path)}" for c in _one_per_doc(benefit.clauses))
            scope = "（面向所有符合条件的人员）" if benefit.general else ""
            lines.append(f"{n}. {benefit.name}{scope} ——{refs}")
            for c in _one_per_doc(benefit.clauses):
                citations.append(citation_payload(c, index.doc_titles.get(c.doc_id, "")) | {"benefit": benefit.name})
                cited.append(c)
        lines.append("点击引用可查看条款原文。" + currency_notice(cited, index.by_id))
        dispatcher.utter_message(**render.message("\n".join(lines), citations))
        return [SlotSet("last_topic", f"{group}的补贴和扶持政策"), SlotSet("last_clause_ids", [c.clause_id for c in cited])]


def _one_per_doc(clauses):
    """The first citing clause of each document."""
    seen, out = set(), []
    for c in clauses:
        if c.doc_id not in seen:
            seen.add(c.doc_id)
            out.append(c)
    return out
