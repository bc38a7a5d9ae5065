"""Issue 12's region acceptance through the action server's answer on the real index: ask the region when a local
rule decides, answer per region (local rule first, or the national one and where to ask), keep and change the region."""

import pytest
from rasa_sdk import Tracker

from actions.policy import ActionAnswerPolicy
from tests.bot_actions.conftest import run, tracker

pytestmark = pytest.mark.integration

QUESTION = "失业保险金每个月能领多少"
GD, NATIONAL = "gdssybxtl-2022-06-01", "sybxtl-1999-01-22"
ASKED = {"region_question": QUESTION, "region_asked": True}


def cited(messages) -> list[str]:
    return [c["doc_id"] for m in messages for c in m.get("custom", {}).get("citations", [])]


def slots(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_no_region_asks_with_a_button_per_library_region(knowledge):
    messages, events = run(ActionAnswerPolicy(), tracker(QUESTION))
    assert len(messages) == 1 and not cited(messages) and "哪个省或城市" in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["广东省", "其他地区"]
    assert slots(events)["region_question"] == QUESTION and slots(events)["region_asked"] is True


def test_guangzhou_gets_article_19_of_the_guangdong_regulation(knowledge):
    messages, events = run(ActionAnswerPolicy(), tracker("广州", intent="inform_region", slots=ASKED))
    assert cited(messages) == [GD] and messages[0]["custom"]["citations"][0]["path"][-1] == "第十九条"
    assert messages[0]["text"].startswith("适用政策：《广东省失业保险条例》第十九条")
    assert "2022年6月1日修正版" in messages[0]["text"]  # the currency notice names the 2022 revision
    assert slots(events)["region"] == "广州市" and slots(events)["region_question"] is None


def test_zhengzhou_gets_the_national_regulation_and_where_to_ask(knowledge):
    messages, events = run(ActionAnswerPolicy(), tracker("郑州", slots=ASKED))
    assert cited(messages) and set(cited(messages)) <= {NATIONAL, "shbxf-2018-12-29"}  # either national rule on who sets it
    assert "本库暂未收录郑州市或河南省关于这一问题的地方规定" in messages[0]["text"] and "12333" in messages[0]["text"]
    assert slots(events)["region"] == "郑州市"


def test_other_region_button_gets_the_national_rule(knowledge):
    payload = '/inform_region{"region": "其他地区"}'
    t = tracker(payload, intent="inform_region", entities=[{"entity": "region", "value": "其他地区"}],
                slots={**ASKED, "region": "其他地区"})
    messages, _ = run(ActionAnswerPolicy(), t)
    assert GD not in cited(messages) and "本库暂未收录您所在地区" in messages[0]["text"]


def test_unknown_place_is_asked_again(knowledge):
    messages, events = run(ActionAnswerPolicy(), tracker("我在火星", slots=ASKED))
    assert "「火星」" in messages[0]["text"] and messages[0]["buttons"] and not cited(messages)
    assert "region" not in slots(events)
    messages, _ = run(ActionAnswerPolicy(), tracker("在哪里领失业金"))
    assert "没能确定" not in messages[0]["text"]  # a question starting with 在 is no statement of a place


def test_page_region_answers_without_asking(knowledge):
    latest = {"text": QUESTION, "intent": {"name": "ask_policy", "confidence": 0.99}, "entities": []}
    events = [{"event": "user", "text": QUESTION, "parse_data": latest, "metadata": {"region": "广东省"}}]
    messages, out = run(ActionAnswerPolicy(), Tracker("web:page", {}, latest, events, False, None, {}, "action_listen"))
    assert cited(messages)[0] == GD and slots(out)["region"] == "广东省"


def test_region_changes_when_the_citizen_says_so(knowledge):
    messages, events = run(ActionAnswerPolicy(), tracker("我现在在郑州了，失业保险金每个月能领多少", slots={"region": "佛山市"}))
    assert GD not in cited(messages) and slots(events)["region"] == "郑州市"
    messages, events = run(ActionAnswerPolicy(), tracker("我现在在深圳了", intent="inform_region", slots={"region": "郑州市"}))
    assert "深圳市（广东省）" in messages[0]["text"] and slots(events)["region"] == "深圳市"


def test_a_question_the_national_rule_answers_is_not_held_up(knowledge):
    messages, events = run(ActionAnswerPolicy(), tracker("招聘只要男的，这算歧视吗"))
    assert cited(messages)[0] == "jycjf-2015-04-24" and "region_question" not in slots(events)
