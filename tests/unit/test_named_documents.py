"""A question naming a law (and an article) ranks that law's article first — the longest name wins,
abbreviations and Arabic article numbers count; a question naming no law gets no bonus."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("question", "title", "article"), [
    ("社保法第十六条讲的是什么内容", "中华人民共和国社会保险法", "第十六条"),
    ("失业保险条例第17条怎么说", "失业保险条例", "第十七条"),
    ("广东省失业保险条例第十七条", "广东省失业保险条例", "第十七条"),
    ("广东失业保险条例第十七条说了啥", "广东省失业保险条例", "第十七条"),
    ("退役军人安置条例第七十四条", "退役军人安置条例", "第七十四条"),
])
def test_named_article_of_the_named_law_ranks_first(fake_retriever, question, title, article):
    best = fake_retriever.search(question, 3).hits[0]
    assert (best.doc_title, best.clause.path[-1]) == (title, article)


def test_only_named_documents_get_the_bonus(fake_retriever):
    titles = lambda q: {fake_retriever.index.by_id[d].title for d in fake_retriever._named(q)[0]}  # noqa: E731
    assert titles("广东省失业保险条例讲了什么") == {"广东省失业保险条例"}
    assert titles("失业保险条例和就业促进法有什么不同") == {"失业保险条例", "中华人民共和国就业促进法"}
    assert titles("我想了解社保政策，失业了怎么办") == set()
    assert fake_retriever._named("第二十七条说的什么")[1] == {"第二十七条"}
