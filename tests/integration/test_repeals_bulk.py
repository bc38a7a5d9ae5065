"""Repeals over real texts: 退役军人安置条例 第九十三条 repeals 退役士兵安置条例 (from the bulk folder), 市场主体登记管理条例
第五十五条 repeals 《中华人民共和国公司登记管理条例》 among others; citizens are answered from the regulation in force and
told the old one was repealed, staff still find the old one marked 已废止."""

import pytest

from knowledge.__main__ import build_report
from knowledge.answer import compose
from knowledge.config import ROOT, KnowledgeSettings
from knowledge.index import build_with_report, load
from knowledge.retrieve import Retriever
from knowledge.types import IN_FORCE, REPEALED
from tests.conftest import LAWS, copy_sources

pytestmark = pytest.mark.integration

BULK = ROOT.parent / "shared" / "corpus" / "bulk"
VETERANS, SOLDIERS = "tyjraztl-2024-07-29", "tysbaztl-2011-10-29"
MARKET, COMPANIES = "scztdjgltl-2022-03-01", "gsdjgltl-2014-02-19"
OLD_RULE = "自主就业的退役士兵入伍前承包的农村土地会不会被收回"  # 退役士兵安置条例 第二十六条


@pytest.fixture(scope="module")
def repealed(tmp_path_factory, embedder):
    """The two repealing regulations and two they repeal, copied from the shipped library and the bulk folder → (corpus,
    retriever) of their real index."""
    if not BULK.is_dir():
        pytest.skip(f"{BULK} not found")
    tmp = tmp_path_factory.mktemp("repeals")
    sources = copy_sources(tmp, LAWS / "退役军人安置条例-2024-07-29.txt", LAWS / "退役军人安置条例-2024-07-29.meta.yaml",
                           *(BULK / f"{n}.txt" for n in ("退役士兵安置条例-2011-10-29", "市场主体登记管理条例-2021-07-27",
                                                          "公司登记管理条例-2016-02-06")))
    settings = KnowledgeSettings(sources_dir=sources, index_dir=tmp / "index", library_dir=tmp / "library")
    _, corpus = build_with_report(settings, embedder, progress=False)
    return corpus, Retriever(load(settings), embedder, settings)


def test_the_repealed_regulations_point_to_the_ones_that_repealed_them(repealed):
    corpus, _ = repealed
    docs = {d.doc_id: d for d in corpus.documents}
    assert (docs[SOLDIERS].status, docs[SOLDIERS].superseded_by) == (REPEALED, VETERANS)
    assert (docs[COMPANIES].status, docs[COMPANIES].superseded_by) == (REPEALED, MARKET)
    assert docs[VETERANS].status == docs[MARKET].status == IN_FORCE
    assert {(r.target, r.clause_id) for r in corpus.repeals} == {(SOLDIERS, f"{VETERANS}.a93"), (COMPANIES, f"{MARKET}.a55")}
    report = build_report(corpus)
    assert f"[{SOLDIERS}] 行政法规 《退役士兵安置条例》 全国 已废止（由 {VETERANS} 《退役军人安置条例》第九十三条废止）" in report
    assert f"  repeals [{COMPANIES}] 《中华人民共和国公司登记管理条例》 (《中华人民共和国市场主体登记管理条例》第五十五条)" in report


def test_a_question_on_the_old_rule_is_answered_from_the_regulation_in_force(repealed):
    corpus, retriever = repealed
    docs = {d.doc_id: d for d in corpus.documents}
    result = retriever.search(OLD_RULE, 3)
    assert result.replaced is not None and result.replaced.clause.doc_id == SOLDIERS and result.replaced_by == VETERANS
    assert {h.clause.doc_id for h in result.hits} == {VETERANS}
    text = compose(OLD_RULE, result, docs).text
    assert text.startswith("提示：与您的问题最接近的规定出自《退役士兵安置条例》，该文件已被《退役军人安置条例》废止，")
    assert "已被修订" not in text and "《退役士兵安置条例》第" not in text
    staff = retriever.search(OLD_RULE, 10, include_superseded=True)
    old = [h for h in staff.hits if h.clause.doc_id == SOLDIERS]
    assert old and all(h.doc_status == REPEALED for h in old)
