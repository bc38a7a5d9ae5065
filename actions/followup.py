"""Follow-ups: 「那需要什么条件」「去哪里办」「这个还有效吗」 answered about the previous topic."""

from __future__ import annotations

from rasa_sdk import Action, Tracker

from actions import render
from knowledge.answer import HOTLINE, citation_payload, currency_notice
from actions.knowledge_access import documents, retriever
from actions.policy import HANDOFF_BUTTON, answer

VALIDITY = ("有效", "过期", "失效", "还能用", "还算数", "现在还", "还执行", "作废")
WHERE = ("哪里办", "去哪", "哪儿办", "在哪", "怎么办理", "怎么申请", "如何申请", "流程", "材料", "找谁")


class ActionAnswerFollowup(Action):
    def name(self) -> str:
        return "action_answer_followup"

    def run(self, dispatcher, tracker: Tracker, domain):
        """A follow-up → validity, where-to-apply, or a search on 'previous topic + follow-up'."""
        text = tracker.latest_message.get("text", "")
        topic = tracker.get_slot("last_topic")
        clause_ids = tracker.get_slot("last_clause_ids") or []
        if not topic:
            dispatcher.utter_message(**render.message("请问您想了解哪一项政策？例如：创业担保贷款、就业见习补贴。"))
            return []
        if any(w in text for w in VALIDITY) and clause_ids:
            return self._validity(dispatcher, clause_ids)
        if any(w in text for w in WHERE) and clause_ids:
            return self._where(dispatcher, clause_ids)
        return answer(dispatcher, tracker, f"{topic} {text}")

    def _clauses(self, clause_ids):
        by_id = {c.clause_id: c for c in retriever().index.clauses}
        return [by_id[i] for i in clause_ids if i in by_id]

    def _validity(self, dispatcher, clause_ids):
        clauses = self._clauses(clause_ids)
        text = "关于上一条答复所依据的条款：" + currency_notice(clauses, documents())
        dispatcher.utter_message(**render.message(text, self._citations(clauses)))
        return []

    def _where(self, dispatcher, clause_ids):
        clauses = self._clauses(clause_ids)
        departments = list(dict.fromkeys(d for c in clauses for d in c.departments))
        text = "政策文件没有规定具体的办理地点和材料。"
        if departments:
            text += f"文件列明的责任单位是：{'、'.join(departments)}。"
        text += f"具体办理请咨询户籍地或就业地的人力资源社会保障部门（公共就业服务机构），或拨打 {HOTLINE}。"
        dispatcher.utter_message(**render.message(text, self._citations(clauses), buttons=[HANDOFF_BUTTON]))
        return []

    def _citations(self, clauses):
        titles = retriever().index.doc_titles
        return [citation_payload(c, titles.get(c.doc_id, "")) for c in clauses]
