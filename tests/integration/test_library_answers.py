"""Issue 11's acceptance questions through the real index, the action server's answer and the chat fallback;
the 1996 职业教育法 is searchable for staff and never cited to citizens."""

import pytest

from actions.policy import ActionAnswerPolicy
from server.fallback import answer_from_retrieval
from tests.bot_actions.conftest import run, tracker

pytestmark = pytest.mark.integration

OLD, NEW = "zyjyf-1996-05-15", "zyjyf-2022-04-20"
OLD_RULE = "县级人民政府是不是应当举办多种形式的职业教育，开展实用技术的培训，促进农村职业教育的发展"


def cited_ids(messages) -> list[str]:
    return [c["doc_id"] for m in messages for c in m.get("custom", {}).get("citations", [])]


def test_unemployment_benefit_in_guangzhou(knowledge):
    result = knowledge.search("失业了每个月能领多少失业金，我在广州", 3)
    assert result.answerable and result.hits[0].clause.doc_id == "gdssybxtl-2022-06-01"
    assert result.hits[0].clause.path[-1] == "第十九条"  # 失业保险金: 最低工资标准的百分之九十按月计发 (not 第二十条's 求职补贴)
    messages, _ = run(ActionAnswerPolicy(), tracker("失业了每个月能领多少失业金，我在广州", slots={"region": "广州"}))
    assert cited_ids(messages)[0] == "gdssybxtl-2022-06-01" and "《广东省失业保险条例》第十九条" in messages[0]["text"]


def test_guangdong_regulation_is_not_cited_outside_guangdong(knowledge):
    messages, _ = run(ActionAnswerPolicy(), tracker("失业了每个月能领多少失业金", slots={"region": "北京"}))
    assert "gdssybxtl-2022-06-01" not in cited_ids(messages)
    # the national rule on the amount: who sets the standard (社会保险法 第四十七条, 失业保险条例 第十八条)
    messages, _ = run(ActionAnswerPolicy(), tracker("失业金每个月能领多少", slots={"region": "郑州"}))
    assert "《中华人民共和国社会保险法》第四十七条" in messages[0]["text"] and "gdssybxtl-2022-06-01" not in cited_ids(messages)


def test_men_only_hiring_is_article_27(knowledge):
    result = knowledge.search("招聘只要男的，这算歧视吗", 3)
    assert result.answerable and result.hits[0].clause.clause_id == "jycjf-2015-04-24.a27"
    messages, _ = run(ActionAnswerPolicy(), tracker("招聘只要男的，这算歧视吗"))
    assert messages[0]["custom"]["answerable"] and "《中华人民共和国就业促进法》第二十七条" in messages[0]["text"]


def test_internships_are_answered_from_the_2022_version_only(knowledge):
    question = "职业教育法对学生实习有什么规定"
    result = knowledge.search(question, 5)
    assert result.answerable and result.hits[0].clause.doc_id == NEW and OLD not in {h.clause.doc_id for h in result.hits}
    messages, _ = run(ActionAnswerPolicy(), tracker(question))
    assert cited_ids(messages)[0] == NEW and OLD not in cited_ids(messages)
    assert OLD not in {c["doc_id"] for c in answer_from_retrieval(knowledge, question).citations}
    staff = knowledge.search(question, 50, include_superseded=True)
    old = [h for h in staff.hits if h.clause.doc_id == OLD]
    assert old and all(h.doc_status == "已被修订" for h in old)


def test_question_about_the_old_rule_is_told_it_was_replaced(knowledge):
    result = knowledge.search(OLD_RULE, 3)
    assert result.replaced is not None and result.replaced.clause.doc_id == OLD and result.replaced_by == NEW
    assert all(h.clause.doc_id != OLD for h in result.hits)
    messages, _ = run(ActionAnswerPolicy(), tracker(OLD_RULE))
    assert OLD not in cited_ids(messages)
    text = "".join(m["text"] for m in messages)
    assert "1996年5月15日通过版" in text and "已被修订" in text and "2022年4月20日修订版" in text
    degraded = answer_from_retrieval(knowledge, OLD_RULE)
    assert "已被修订" in degraded.text and OLD not in {c["doc_id"] for c in degraded.citations}


def test_an_amount_the_law_does_not_state_is_not_an_answer(knowledge):
    """社会保险法 第三十八条 lists 住院伙食补助费 but gives no figure: the citizen is told so, with that clause and where to
    ask, and the reply is not counted as an answer (nor offered as one to staff figures)."""
    result = knowledge.search("工伤住院期间伙食补助每天给多少钱", 3)
    assert not result.answerable and result.hits[0].clause.path[-1] == "第三十八条"
    messages, _ = run(ActionAnswerPolicy(), tracker("工伤住院期间伙食补助每天给多少钱"))
    assert messages[0]["text"].startswith("政策文件没有规定具体金额") and messages[0]["custom"]["answerable"] is False
    assert cited_ids(messages) == ["shbxf-2018-12-29"] and any(b["payload"] == "/human_handoff" for b in messages[0]["buttons"])
