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
    assert text.startswith("根据政策文件，高校毕业生可以关注以下")
    entries = [line for line in text.split("\n") if line[:1].isdigit()]
    for name in ("就业见习补贴", "求职创业补贴", "一次性创业补贴", "学费补偿", "助学贷款代偿", "创业担保贷款"):
        assert sum(name in e for e in entries) == 1, name
    assert len(citations) == len(entries)  # one citation per entry
    assert len({c["clause_id"] for c in citations}) == len(citations)  # no clause cited twice
    assert all(c["text"] for c in citations) and "责任单位" not in text


def test_synonym_group_value_works(knowledge):
    messages, _ = run(ActionListBenefits(), tracker("当过兵的有什么扶持", "ask_benefits", {"group": "退役士兵"}))
    text = messages[0]["text"]
    assert "退役军人可以关注" in text and "军队转业干部" in "".join(c["text"] for c in messages[0]["custom"]["citations"])
    # 「鼓励大学生应征入伍，落实好学费资助、助学贷款代偿」 is for students who enlist, not for veterans
    assert "学费资助" not in text and "助学贷款代偿" not in text


def test_disabled_people_do_not_get_graduates_benefits(knowledge):
    messages, _ = run(ActionListBenefits(), tracker("我是残疾人有什么补贴", "ask_benefits", {"group": "残疾人"}))
    # 「…求职创业补贴补助范围扩展到贫困残疾人家庭…高校毕业生」: graduates from such families, not disabled people
    assert "求职创业补贴" not in messages[0]["text"]
    # the notice's general measures, and what 残疾人就业条例 gives disabled people themselves
    allowed = ("创业担保贷款", "职业培训补贴", "公益性岗位优先安置", "失业登记")
    assert all(c["benefit"] in allowed for c in messages[0]["custom"]["citations"])
    assert "《残疾人就业条例》第十五条" in messages[0]["text"]


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
