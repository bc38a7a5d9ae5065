"""Benefit lists, clarifying question, handoff queue and feedback records."""

import pytest

from actions import store
from actions.benefits import ActionListBenefits
from actions.handoff import ActionHandoff, ActionRecordFeedback
from tests.bot_actions.conftest import run, tracker

pytestmark = pytest.mark.integration


def test_graduate_benefits_listed_once_each_and_cited(knowledge):
    messages, _ = run(ActionListBenefits(), tracker("我是应届毕业生能领什么补贴", "ask_benefits", {"group": "高校毕业生"}))
    text, citations = messages[0]["text"], messages[0]["custom"]["citations"]
    for name in ("就业见习补贴", "求职创业补贴", "一次性创业补贴", "学费补偿", "助学贷款代偿", "创业担保贷款"):
        assert text.count(f". {name}") == 1, name
    jobseek = [c for c in citations if c["benefit"] == "求职创业补贴"]
    assert {c["doc_number"] for c in jobseek} == {"粤府〔2017〕101号", "国发〔2017〕28号"}  # deduplicated, both cited
    assert all(c["text"] for c in citations)


def test_synonym_group_value_works(knowledge):
    messages, _ = run(ActionListBenefits(), tracker("当过兵的有什么扶持", "ask_benefits", {"group": "退役士兵"}))
    assert "退役军人可以关注" in messages[0]["text"] and "学费资助" in messages[0]["text"]


def test_missing_group_asks_with_buttons(knowledge):
    messages, _ = run(ActionListBenefits(), tracker("我能领什么补贴", "ask_benefits"))
    assert "请问您属于哪类人群" in messages[0]["text"]
    assert {"title": "高校毕业生", "payload": '/inform_group{"group":"高校毕业生"}'} in messages[0]["buttons"]


def test_handoff_pauses_and_queues_once(knowledge, db):
    t = tracker("转人工", "human_handoff")
    messages, events = run(ActionHandoff(), t)
    assert events == [{"event": "pause", "timestamp": None}] and "排队号" in messages[0]["text"]
    run(ActionHandoff(), t)
    assert [h["sender_id"] for h in store.waiting_handoffs()] == ["citizen-1"]
    assert db.exists()


def test_staff_see_the_question_not_the_request_for_a_person(knowledge, db):
    t = tracker("转人工", "human_handoff")
    asked = {"text": "创业担保贷款怎么申请", "intent": {"name": "ask_policy"}}
    t.events.insert(0, {"event": "user", "text": asked["text"], "parse_data": asked})
    run(ActionHandoff(), t)
    assert store.waiting_handoffs()[0]["last_message"] == "创业担保贷款怎么申请"


def test_feedback_recorded_with_answer_clauses(knowledge, db):
    slots = {"last_clause_ids": ["gf2017-28.p3.i9.s2"], "last_topic": "一次性创业补贴"}
    run(ActionRecordFeedback(), tracker("👍", "feedback_good", slots))
    messages, _ = run(ActionRecordFeedback(), tracker("没用", "feedback_bad", slots))
    assert [r["rating"] for r in store.feedback_rows()] == ["good", "bad"]
    assert store.feedback_rows()[0]["clause_ids"] == ["gf2017-28.p3.i9.s2"]
    assert messages[0]["buttons"]
