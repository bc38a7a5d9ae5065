"""Knowledge gaps on the real model and index (issue 13, point 2): 30 refused questions as citizens wrote them form
sensible groups; a link makes a refused paraphrase answered with the linked clause through the real answer path,
a "not covered" mark makes it answered with the pointer."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from actions import curation, gaps, journal
from actions.policy import ActionAnswerPolicy
from knowledge.gaps import report
from knowledge.links import LINK, UNCOVERED
from tests.bot_actions.conftest import run, tracker

pytestmark = pytest.mark.integration

TOPICS: dict[str, list[str]] = yaml.safe_load((Path(__file__).with_name("gap_questions.yaml")).read_text("utf-8"))
UNEMPLOYED_CLAUSE = "sybxtl-1999-01-22.a14"  # 失业保险条例 第十四条: who may draw unemployment benefit
POINTER = "住房公积金的提取、转移和贷款，请咨询当地住房公积金管理中心，或拨打 12345 政务服务热线。"


def seed(now: float) -> None:
    """Each seeded question: a citizen message and the assistant's refusal, one conversation each, over 10 days."""
    n = 0
    for questions in TOPICS.values():
        for question in questions:
            sender, at = f"web:citizen-{n}", now - (n % 10) * 86400 - n
            journal.record(sender, "web", "citizen", question, at=at)
            journal.record(sender, "web", "bot", "很抱歉，现有的政策文件中没有找到…", outcome="refused", at=at + 1)
            n += 1


@pytest.fixture
def groups(knowledge):
    seed(time.time())
    return report(gaps.records(0), knowledge, curation.curator())


def topic_of(text: str) -> str:
    return next(t for t, qs in TOPICS.items() if text in qs)


def ask(text: str) -> dict:
    messages, _ = run(ActionAnswerPolicy(), tracker(text))
    return messages[0]


def test_thirty_refused_questions_form_sensible_groups(groups):
    assert sum(g["size"] for g in groups) == 30 and all(g["kinds"]["refused"] == g["size"] for g in groups)
    topics = [Counter(topic_of(t) for t in g["texts"]) for g in groups]
    purity = sum(c.most_common(1)[0][1] for c in topics) / 30
    assert purity >= 0.9, topics
    assert 6 <= len(groups) <= 9, topics  # six topics; 上学 questions share few words and may split
    for topic in ("公积金", "个税", "异地就医", "失业生活费"):  # each of these is exactly one group
        assert Counter({topic: 5}) in topics, (topic, topics)
    assert [g["newest"] for g in groups] == sorted((g["newest"] for g in groups), reverse=True)
    assert all(sum(d["count"] for d in g["trend"]) == g["size"] for g in groups)
    assert all(g["clauses"] and g["curation_id"] is None for g in groups)


def test_a_link_answers_a_refused_paraphrase_with_its_clause(groups):
    paraphrase = "丢了饭碗有没有救济金"
    assert ask(paraphrase)["custom"]["answerable"] is False
    group = next(g for g in groups if topic_of(g["label"]) == "失业生活费")
    clause = next(c for c in curation_clauses() if c.clause_id == UNEMPLOYED_CLAUSE)
    curation.create(LINK, group["texts"], "li", clause_id=clause.clause_id, clause_text=clause.text)
    answer = ask(paraphrase)["custom"]
    assert answer["answerable"] is True and answer["citations"][0]["clause_id"] == UNEMPLOYED_CLAUSE
    assert "失业保险金" in answer["text"]
    unrelated = ask("高校毕业生能领什么补贴")["custom"]  # another question keeps its own answer
    assert UNEMPLOYED_CLAUSE not in [c["clause_id"] for c in unrelated["citations"]]


def test_a_not_covered_mark_answers_with_the_pointer(groups):
    paraphrase = "公积金可以取出来装修吗"
    before = ask(paraphrase)
    assert POINTER not in before["text"]
    group = next(g for g in groups if topic_of(g["label"]) == "公积金")
    curation.create(UNCOVERED, group["texts"], "li", pointer=POINTER)
    after = ask(paraphrase)
    assert POINTER in after["text"] and after["custom"]["answerable"] is False and after["custom"]["citations"] == []
    assert any(b["payload"] == "/human_handoff" for b in after["buttons"])
    assert POINTER not in ask("创业担保贷款怎么申请")["text"]  # 申请 / 贷款 alone do not make it 公积金


def test_a_link_whose_clause_changed_is_not_applied(groups, knowledge):
    paraphrase = "丢了饭碗有没有救济金"
    group = next(g for g in groups if topic_of(g["label"]) == "失业生活费")
    curation.create(LINK, group["texts"], "li", clause_id=UNEMPLOYED_CLAUSE, clause_text="修订前的文字")
    assert ask(paraphrase)["custom"]["answerable"] is False  # flagged for review instead of quoting changed text


def curation_clauses():
    from actions.knowledge_access import retriever

    return retriever().index.clauses
