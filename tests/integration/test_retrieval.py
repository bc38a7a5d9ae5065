"""Retrieval with the real model and index: real questions, refusals, and every bad input."""

import pytest

from knowledge.errors import QueryError
from knowledge.segment import MAX_CLAUSE_CHARS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "question, phrase",
    [
        ("我是应届毕业生能领什么补贴", "高校毕业生"),
        ("送外卖的能自己交养老保险吗", "灵活就业人员身份参加"),
        ("想开个小店，能贷款吗", "创业担保贷款"),
        ("退伍回来想自己做生意有扶持吗", "退役士兵|退役军人"),  # the notice or 退役军人安置条例
        ("我係應屆畢業生，可以攞咩補貼", "高校毕业生"),
        ("閒置的舊倉庫能改成創業孵化基地嗎", "仓储设施、闲置楼宇"),
    ],
)
def test_real_questions_find_their_clause(retriever, question, phrase):
    # answerable is not asserted here: with the law library the calibrated rule refuses about half
    # of the in-scope questions to refuse every near-miss (docs/design.md, retrieval on the library);
    # a refused answer still shows these clauses as possibly related.
    result = retriever.search(question, 3)
    assert any(p in h.clause.text for h in result.hits for p in phrase.split("|"))
    assert all(len(h.clause.text) <= MAX_CLAUSE_CHARS for h in result.hits)


@pytest.mark.parametrize("question", ["明天广州会下雨吗", "给我写一首关于春天的诗", "护照过期了去哪里换", "What is the capital of France?"])
def test_out_of_scope_refused(retriever, question):
    assert not retriever.search(question).answerable


def test_hits_carry_citation_metadata(retriever):
    hit = retriever.search("创业担保贷款", 1).hits[0]
    d = hit.to_dict()
    assert d["doc_number"] in ("粤府〔2017〕101号", "国发〔2017〕28号") and d["doc_title"]
    assert d["path"] and d["departments"] and d["clause_id"]


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_a_clear_error(retriever, query):
    with pytest.raises(QueryError, match="请输入"):
        retriever.search(query)


@pytest.mark.parametrize(
    ("query", "answerable", "topic"),
    [("😀😀😀", False, None), ("🙏 创业担保贷款 👍", True, "创业担保贷款"), ("\x00\x01\x07\x1b[31m", False, None),
     ("hello world", False, None), ("'; DROP TABLE clauses; --", False, None),
     ("<script>alert(1)</script>就业见习补贴", None, "见习"), ("SELECT * FROM users WHERE 1=1", False, None)],
)
def test_odd_queries_handled(retriever, query, answerable, topic):
    """Noise around a policy question does not hide it; noise alone is refused, never answered.
    (Markup around a question counts as unknown words, so it may be refused: answerable None.)"""
    result = retriever.search(query, 5)
    assert answerable is None or result.answerable is answerable, result.evidence
    if topic:
        assert topic in result.hits[0].clause.text + "".join(result.hits[0].clause.path)
    assert all(len(h.clause.text) <= MAX_CLAUSE_CHARS for h in result.hits)


def test_a_very_long_query_is_searched_for_what_it_repeats(retriever):
    result = retriever.search("创业" * 5000, 5)
    assert len(result.hits) == 5 and all("创业" in h.clause.text + "".join(h.clause.path) for h in result.hits[:3])
    assert all(len(h.clause.text) <= MAX_CLAUSE_CHARS for h in result.hits)


def test_emoji_only_is_not_answerable(retriever):
    assert retriever.search("😀😀😀").to_dict() == {"query": "😀😀😀", "answerable": False, "confidence": 0.0, "results": []}


def test_batch_keeps_order(retriever):
    queries = ["创业担保贷款", "明天天气", "见习补贴"]
    assert [r.query for r in retriever.search_many(queries)] == queries
