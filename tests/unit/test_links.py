"""knowledge.links and knowledge.gaps on small fakes: matching, re-reading on a new revision, links and marks applied
to a search result, stale links skipped, clusters and trends."""

from __future__ import annotations

import datetime as dt

import numpy as np

from knowledge.answer import compose
from knowledge.gaps import _trend, cluster
from knowledge.links import LINK, UNCOVERED, Curation, Curator, pointer_reply, review_reason
from knowledge.types import SearchResult


def curator_of(curations: list[Curation], revision: list) -> Curator:
    return Curator(lambda: revision[0], lambda: list(curations))


def test_a_link_puts_its_clause_first_and_answers(fake_retriever):
    result = fake_retriever.search("护照过期了去哪里换", 5)
    clause = fake_retriever.index.clauses[7]
    linked = curator_of([Curation(1, LINK, ("护照过期了去哪里换",), clause.clause_id, clause.text)], [1]).apply(result, fake_retriever)
    assert linked.answerable and linked.hits[0].clause.clause_id == clause.clause_id and not linked.missing_concepts
    assert linked.hits[0].score > result.hits[0].score and len(linked.hits) == len(result.hits)
    assert [h.clause.clause_id for h in linked.hits].count(clause.clause_id) == 1


def test_a_stale_link_and_a_distant_question_change_nothing(fake_retriever):
    clause = fake_retriever.index.clauses[7]
    stale = Curation(1, LINK, ("护照过期了去哪里换",), clause.clause_id, "改动前的文字")
    result = fake_retriever.search("护照过期了去哪里换", 5)
    assert curator_of([stale], [1]).apply(result, fake_retriever) is result
    assert review_reason(stale, {clause.clause_id: clause}) == "关联条款的文字已变更"
    assert review_reason(stale, {}) == "关联的条款已不在现行文件库中"
    fresh = Curation(2, LINK, ("护照过期了去哪里换",), clause.clause_id, clause.text)
    other = fake_retriever.search("高校毕业生创业补贴", 5)
    assert curator_of([fresh], [1]).apply(other, fake_retriever) is other


def test_a_mark_gives_its_pointer_instead_of_an_answer(fake_retriever):
    mark = Curation(3, UNCOVERED, ("公积金怎么提取",), pointer="请咨询当地住房公积金管理中心。")
    result = curator_of([mark], [1]).apply(fake_retriever.search("公积金怎么提取", 5), fake_retriever)
    answer = compose("公积金怎么提取", result, fake_retriever.index.by_id)
    assert not answer.answerable and answer.text == pointer_reply("请咨询当地住房公积金管理中心。") and not answer.hits


def test_curations_are_re_read_when_the_revision_changes(fake_retriever):
    revision, stored = [1], [Curation(1, UNCOVERED, ("公积金怎么提取",), pointer="甲")]
    curator = Curator(lambda: revision[0], lambda: list(stored))
    assert curator.match(["公积金怎么提取"], fake_retriever)[0][0].pointer == "甲"
    stored[0] = Curation(1, UNCOVERED, ("公积金怎么提取",), pointer="乙")
    assert curator.match(["公积金怎么提取"], fake_retriever)[0][0].pointer == "甲"  # same revision: nothing re-read
    revision[0] = 2
    assert curator.match(["公积金怎么提取"], fake_retriever)[0][0].pointer == "乙"


def test_an_unreadable_store_keeps_the_last_curations(fake_retriever):
    calls = {"n": 0}

    def revision():
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError("database is locked")
        return 1

    curator = Curator(revision, lambda: [Curation(1, UNCOVERED, ("公积金",), pointer="甲")])
    assert curator.match(["公积金"], fake_retriever)[0][0].id == 1
    assert curator.match(["公积金"], fake_retriever)[0][0].id == 1  # the error is logged, answers go on


def test_empty_curations_leave_results_alone(fake_retriever):
    result = SearchResult("问题", False, [])
    assert curator_of([], [0]).apply(result, fake_retriever) is result


def test_complete_linkage_keeps_far_questions_apart():
    a, b, c = np.eye(3, dtype=np.float32)
    near_a = (a + 0.2 * b) / np.linalg.norm(a + 0.2 * b)
    assert sorted(map(sorted, cluster(np.stack([a, near_a, c])))) == [[0, 1], [2]]
    assert cluster(np.zeros((0, 3))) == [] and cluster(np.stack([a])) == [[0]]


def test_trend_counts_per_day_oldest_first():
    today = dt.date(2026, 11, 25)
    noon = dt.datetime(2026, 11, 24, 12).timestamp()
    trend = _trend([noon, noon + 60, noon + 86400], 3, today)
    assert trend == [{"day": "2026-11-23", "count": 0}, {"day": "2026-11-24", "count": 2}, {"day": "2026-11-25", "count": 1}]


def test_a_question_is_matched_on_what_the_citizen_wrote_not_the_synonym_expansion(fake_retriever, monkeypatch):
    mark = Curation(3, UNCOVERED, ("下岗了有没有生活费",), pointer="甲")
    curator = curator_of([mark], [1])
    assert "（" in fake_retriever.prepare("下岗了有没有生活费")[1]  # retrieval embeds the question with synonyms added
    embedded = []
    encode = fake_retriever.embedder.encode
    monkeypatch.setattr(fake_retriever.embedder, "encode", lambda texts, progress=False: embedded.extend(texts) or encode(texts))
    result = fake_retriever.search("下岗了有没有生活费", 5)
    embedded.clear()
    assert curator.apply(result, fake_retriever).pointer == "甲"
    assert embedded and not any("（" in t for t in embedded)  # links compare the cleaned questions: a growing lexicon cannot move them


def test_a_link_overrides_a_pointer_from_the_shipped_elsewhere_topics(fake_retriever):
    """A result refused as answered elsewhere (knowledge/elsewhere.py) that staff linked to a clause quotes the clause."""
    from dataclasses import replace

    clause = fake_retriever.index.clauses[7]
    result = replace(fake_retriever.search("护照过期了去哪里换", 5), answerable=False, pointer="关于护照，请咨询出入境管理部门。")
    linked = curator_of([Curation(1, LINK, ("护照过期了去哪里换",), clause.clause_id, clause.text)], [1]).apply(result, fake_retriever)
    answer = compose("护照过期了去哪里换", linked, fake_retriever.index.by_id)
    assert answer.answerable and answer.hits[0].clause.clause_id == clause.clause_id and "出入境" not in answer.text
