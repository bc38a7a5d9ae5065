"""The document step (knowledge/docrank.py) on a small made-up library: which document leads, which
article inside it, and the penalty chapter."""

from __future__ import annotations

import pytest

from knowledge.docrank import DocumentIndex, DocWeights, asks_penalty

# Two documents: 失业保险条例 (clauses 0–2: every one says 失业保险) and 工伤保险条例 (clauses 3–4).
DOC_OF = ["sy", "sy", "sy", "gs", "gs"]
TEXTS = [
    "失业保险金的标准由省人民政府确定第三章失业保险待遇第十八条失业保险条例",
    "失业保险金按月发放领取期限最长为二十四个月第三章失业保险待遇第十七条失业保险条例",
    "单位不缴纳失业保险费的责令限期缴纳第五章罚则第二十九条失业保险条例",
    "工伤保险待遇标准第五章工伤保险待遇第三十条工伤保险条例",
    "工伤职工的工资福利待遇不变第五章工伤保险待遇第三十三条工伤保险条例",
]
HEADINGS = {"sy": "失业保险条例第三章失业保险待遇第五章罚则", "gs": "工伤保险条例第五章工伤保险待遇"}
PENAL = [False, False, True, False, False]
OFF = DocWeights(doc_weight=0.0, doc_heading_weight=0.0, local_weight=0.0, penalty_chapter_weight=0.0)


def words(*ws: str) -> list[tuple[float, list[str]]]:
    return [(1.0, [w]) for w in ws]


@pytest.fixture
def step() -> DocumentIndex:
    return DocumentIndex(DOC_OF, TEXTS, HEADINGS, PENAL)


def test_with_every_weight_zero_the_scores_stay_as_fused(step):
    fused = {0: 1.0, 1: 0.9, 3: 0.95}
    assert step.rerank(fused, words("失业保险", "期限"), OFF) == fused


def test_the_word_that_tells_articles_apart_counts_inside_the_leading_document(step):
    # 失业保险 is in every article of the leading document, 期限 in one: that one rises above the other
    fused = {0: 1.00, 1: 0.98, 3: 0.5}
    w = DocWeights(0.0, 0.0, local_weight=0.1, penalty_chapter_weight=0.0)
    new = step.rerank(fused, words("失业保险", "期限"), w)
    assert max(new, key=new.get) == 1
    assert new[3] == fused[3]  # other documents untouched


def test_local_coverage_weighs_a_word_every_article_shares_near_zero(step):
    local = step.local_coverage("sy", words("失业保险", "期限"), {0: 1.0, 1: 1.0, 2: 1.0})
    assert local[1] > 0.85 and local[0] < 0.15


def test_heading_coverage_moves_the_document_the_title_and_chapters_name(step):
    # the 工伤 clause leads by a hair; the question's words are in 失业保险条例's title and chapter
    fused = {0: 0.99, 3: 1.0}
    w = DocWeights(doc_weight=1.0, doc_heading_weight=0.3, local_weight=0.0, penalty_chapter_weight=0.0)
    new = step.rerank(fused, words("失业保险", "待遇", "条例"), w)
    assert new[0] > new[3]


def test_a_penalty_article_yields_to_the_duty_unless_a_penalty_is_asked_about(step):
    fused = {0: 1.0, 2: 1.02}
    w = DocWeights(0.0, 0.0, 0.0, penalty_chapter_weight=0.1)
    assert max(step.rerank(fused, words("失业保险费", "缴纳"), w).items(), key=lambda kv: kv[1])[0] == 0
    asked = [(1.0, ["怎么处理", "法律责任"]), (1.0, ["失业保险费"])]
    assert step.rerank(fused, asked, w) == fused


def test_penalty_questions_are_recognised_through_their_synonym_forms():
    assert asks_penalty([(1.0, ["罚多少", "罚款", "法律责任"])])
    assert not asks_penalty(words("失业保险金", "标准"))


def test_tables_from_clauses_keep_titles_chapters_and_penalty_chapters_not_article_numbers():
    from knowledge.types import Clause

    clauses = [Clause("a", "", "失业保险金按月发放。", ["第三章　失业保险待遇", "第十七条"], doc_id="sy"),
               Clause("b", "", "责令限期缴纳。", ["第五章　罚　则", "第二十九条"], doc_id="sy"),
               Clause("c", "", "加强就业创业服务。", ["一、总体要求", "（一）指导思想"], doc_id="gf")]
    step = DocumentIndex.of(clauses, {"sy": "失业保险条例", "gf": "国务院意见"}, ["x", "y", "z"])
    assert step.headings["sy"] == "失业保险条例第三章　失业保险待遇第五章　罚　则"
    assert step.headings["gf"] == "国务院意见一、总体要求（一）指导思想"
    assert step.penal == [False, True, False] and step.members == {"sy": [0, 1], "gf": [2]}


def test_an_amount_question_prefers_the_clause_stating_the_figure_of_what_was_asked():
    """「失业金每个月多少」: the clause whose figure is the 失业保险金's, not the one whose figure is another benefit's
    (a 求职补贴 paid during the same months), and only for questions asking for a figure."""
    bodies = ["失业人员在领取失业保险金期间可以领取求职补贴，标准为本人平均缴费工资的百分之十五。",
              "失业保险金按照当地最低工资标准的百分之九十按月计发。"]
    step = DocumentIndex(["sy", "sy"], [b + "失业保险条例" for b in bodies], {"sy": "失业保险条例"}, [False, False], bodies)
    asked = [(1.0, ["失业金", "失业保险金"]), (1.0, ["每个月", "按月"])]
    fused = {0: 1.05, 1: 1.0}
    figure = DocWeights(0.0, 0.0, 0.0, 0.0, stated_weight=0.15)
    assert max(step.rerank(fused, asked, figure, "amount").items(), key=lambda kv: kv[1])[0] == 1
    assert step.rerank(fused, asked, figure, None) == fused  # a yes/no question: no figure asked
    assert step.rerank(fused, asked, OFF, "amount") == fused


def test_where_a_law_gives_no_figure_the_part_naming_the_standard_answers_an_amount_question():
    """「失业金每个月能领多少」 under national law: 「失业保险金的标准，由…确定」, not 「按月发放」 (the words 每个月 match)."""
    bodies = ["失业保险金由社会保险经办机构按月发放。", "失业保险金的标准，由省、自治区、直辖市人民政府确定。"]
    step = DocumentIndex(["sy", "sy"], [b + "失业保险条例" for b in bodies], {"sy": "失业保险条例"}, [False, False], bodies)
    asked = [(1.0, ["失业金", "失业保险金"]), (1.0, ["每个月", "按月"]), (1.0, ["领多少", "标准", "计发"])]
    fused = {0: 1.05, 1: 1.0}
    figure = DocWeights(0.0, 0.0, 0.0, 0.0, stated_weight=0.15)
    assert max(step.rerank(fused, asked, figure, "amount").items(), key=lambda kv: kv[1])[0] == 1
    assert step.rerank(fused, asked, figure, "duration") == fused  # 「能领多久」 is not answered by who sets the amount
