"""Evidence from the answer itself (knowledge/states.py): the concept check within the quoted clause's document, so that more documents beside the library do not make an answer look better."""

from __future__ import annotations

from knowledge import concepts, states
from knowledge.config import KnowledgeSettings
from knowledge.retrieve import Lexicon
from knowledge.tokenize import Tokenizer


def test_only_candidates_of_the_quoted_clauses_document_count():
    ranked = [("law-a", "失业保险金按月发放"), ("law-b", "工伤认定的申请"), ("law-a", "失业保险金的标准")]
    assert states.same_document(ranked) == ["失业保险金按月发放", "失业保险金的标准"]
    assert states.same_document([]) == []


def test_a_concept_mentioned_only_in_another_document_does_not_make_the_answer_state_it():
    question = "工伤认定怎么申请"
    quoted = ("notice", "高校毕业生求职创业补贴的申请办法")
    elsewhere = ("other-law", "经工伤认定的，享受工伤保险待遇")
    settings = KnowledgeSettings()
    tok, lex = Tokenizer(settings.userdict), Lexicon(settings.synonyms)
    assert concepts.check(question, [quoted[1], elsewhere[1]], tok, lex)[1] == []  # any candidate: passes
    assert concepts.check(question, states.same_document([quoted, elsewhere]), tok, lex)[1]  # its document: refused


def test_the_citizens_own_figures_are_not_concepts_a_clause_must_state():
    """「交了3年」「35岁」 are facts of the case: a clause stating 「满1年不足5年」 answers them."""
    settings = KnowledgeSettings()
    tok, lex = Tokenizer(settings.userdict), Lexicon(settings.synonyms)
    clause = "失业人员失业前所在单位和本人按照规定累计缴费时间满1年不足5年的，领取失业保险金的期限最长为12个月"
    for question in ["交了3年失业保险能领几个月失业金", "我35岁了失业保险交了8年能领多久"]:
        key, missing = concepts.check(question, [clause], tok, lex)
        assert key == ["失业保险"] and missing == [], question
