"""Benefit lists, clarifying question, handoff queue and feedback records."""

import pytest

from actions import store
from actions.benefits import ActionListBenefits
from actions.handoff import ActionCancelHandoff, ActionComplaint, ActionHandoff, ActionKeepHandoff, ActionRecordFeedback
from actions.policy import ActionAnswerPolicy
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


def test_handoff_queues_once_and_offers_to_cancel(knowledge, db):
    t = tracker("转人工", "human_handoff")
    messages, events = run(ActionHandoff(), t)
    assert "排队号" in messages[0]["text"] and {"event": "pause", "timestamp": None} not in events
    assert messages[0]["buttons"] == [{"title": "取消排队", "payload": "/cancel_handoff"}]
    run(ActionHandoff(), t)
    assert [h["sender_id"] for h in store.waiting_handoffs()] == ["citizen-1"]
    assert db.exists()


def test_cancel_with_a_question_leaves_the_queue_and_answers(knowledge, db):
    store.add_handoff("citizen-1", "转人工")
    messages, _ = run(ActionCancelHandoff(), tracker("算了不用人工了，创业担保贷款怎么申请", "cancel_handoff"))
    assert "已为您取消人工排队" in messages[0]["text"] and not store.is_waiting("citizen-1")
    assert messages[1]["custom"]["answerable"] is True and "创业担保贷款" in messages[1]["text"]
    messages, _ = run(ActionCancelHandoff(), tracker("取消排队", "cancel_handoff"))
    assert "没有在排队" in messages[0]["text"] and len(messages) == 1


def test_question_while_waiting_is_answered_then_keep_or_drop_is_asked(knowledge, db):
    ticket = store.add_handoff("citizen-1", "转人工")
    messages, _ = run(ActionAnswerPolicy(), tracker("创业担保贷款怎么申请"))
    assert messages[0]["custom"]["answerable"] is True
    assert f"排队号 {ticket}" in messages[-1]["text"]
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/keep_handoff", "/cancel_handoff"]
    _, events = run(ActionKeepHandoff(), tracker("保留排队", "keep_handoff"))
    messages, _ = run(ActionAnswerPolicy(), tracker("创业担保贷款怎么申请", slots={"handoff_kept": ticket}))
    assert events == [{"event": "slot", "timestamp": None, "name": "handoff_kept", "value": ticket}]
    assert "排队号" not in messages[-1]["text"] and store.is_waiting("citizen-1")


def test_complaint_points_to_12345_and_staff_without_searching(knowledge):
    messages, _ = run(ActionComplaint(), tracker("我要投诉你们街道办不给我办失业登记", "complain"))
    assert "12345" in messages[0]["text"] and not messages[0]["custom"]["citations"]
    assert messages[0]["buttons"] == [{"title": "转人工", "payload": "/human_handoff"}]


def test_group_named_in_the_message_is_not_asked_again(knowledge):
    messages, events = run(ActionListBenefits(), tracker("我是退伍3年的老兵有啥扶持", "ask_benefits"))
    assert "退役军人可以关注" in messages[0]["text"]
    assert {"event": "slot", "timestamp": None, "name": "group", "value": "退役军人"} in events
    assert {"event": "slot", "timestamp": None, "name": "last_list", "value": None} not in events


def test_new_group_after_an_answer_reanswers_that_topic(knowledge):
    slots = {"last_topic": "高校毕业生：一次性创业补贴谁能领", "group": "退役军人"}
    messages, _ = run(ActionListBenefits(), tracker("那我呢，我是退伍军人", "inform_group", slots))
    assert messages[0]["custom"]["answerable"] is not None and "可以关注以下" not in messages[0]["text"]


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


def test_question_that_also_withdraws_the_request_leaves_the_queue(knowledge, db):
    store.add_handoff("citizen-1", "转人工")
    messages, _ = run(ActionAnswerPolicy(), tracker("算了不用人工了，创业担保贷款怎么申请"))
    assert messages[0]["custom"]["answerable"] is True and not store.is_waiting("citizen-1")
    assert messages[-1]["custom"]["kind"] == "handoff_cancelled"


def test_a_question_about_one_named_benefit_is_answered_not_listed(knowledge):
    text = "像我这种建档立卡贫困家庭的高校毕业生，能不能领求职创业补贴？"
    for group in ("高校毕业生", "建档立卡贫困人口"):  # whichever mention the NLU picked
        messages, _ = run(ActionListBenefits(), tracker(text, "ask_benefits", {"group": group}))
        assert messages[0]["custom"].get("kind") != "benefits" and "可以关注以下" not in messages[0]["text"]
        assert any("求职创业补贴" in c["text"] for c in messages[0]["custom"]["citations"])


def test_a_junk_group_from_the_nlu_is_not_used(knowledge):
    """DIET sometimes tags 的 as a group: the slot is ignored, not searched as 「的：…」, and the group is asked."""
    messages, events = run(ActionListBenefits(), tracker("有什么补贴可以领的", "ask_benefits", {"group": "的"}))
    assert messages[0]["custom"]["kind"] == "clarify" and messages[0]["buttons"]
    assert not any(e.get("name") == "group" for e in events)


@pytest.mark.parametrize("text, listed", [("我是美团骑手能以个人身份参保吗", False), ("我是骑手，有补贴吗", True),
                                          ("骑手有啥好政策没有", True)])
def test_a_group_with_another_question_is_answered_not_listed(knowledge, text, listed):
    messages, _ = run(ActionListBenefits(), tracker(text, "ask_benefits"))
    payload = messages[-1]["custom"]
    assert (payload.get("kind") == "benefits") is listed
    if not listed:
        assert any("灵活就业人员身份" in c["text"] for c in payload["citations"])
