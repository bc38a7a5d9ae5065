"""Issue 11's acceptance questions end to end: trained model, Rasa server, action server, real library index."""

import uuid

import pytest

from tests.e2e.test_rasa_rest import say

pytestmark = pytest.mark.integration


def cited(stack, text):
    messages = say(stack, f"e2e-{uuid.uuid4()}", text)
    return messages, [c for m in messages for c in m.citations]


def test_unemployment_benefit_in_guangzhou_cites_the_guangdong_regulation(rasa_stack):
    messages, citations = cited(rasa_stack, "失业了每个月能领多少失业金，我在广州")
    assert citations and citations[0]["doc_id"] == "gdssybxtl-2022-06-01", [m.text for m in messages]
    assert "《广东省失业保险条例》第" in messages[0].text


def test_men_only_hiring_cites_article_27(rasa_stack):
    messages, citations = cited(rasa_stack, "招聘只要男的，这算歧视吗")
    assert citations and citations[0]["clause_id"] == "jycjf-2015-04-24.a27", [m.text for m in messages]
    assert "《中华人民共和国就业促进法》第二十七条" in messages[0].text


def test_vocational_internships_cite_the_2022_version_only(rasa_stack):
    messages, citations = cited(rasa_stack, "职业教育法对学生实习有什么规定")
    assert citations and citations[0]["doc_id"] == "zyjyf-2022-04-20", [m.text for m in messages]
    assert "zyjyf-1996-05-15" not in {c["doc_id"] for c in citations}
