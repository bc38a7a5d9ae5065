"""Query forms: numbers in the spelling the documents use, Guangdong cities to the province."""

from __future__ import annotations

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.normalize import clean_query
from knowledge.retrieve import Lexicon


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon(KnowledgeSettings().synonyms)


@pytest.mark.parametrize("query, word, form", [
    ("交了3年失业保险", "3年", "三年"),
    ("能领12个月吗", "12个月", "十二个月"),
    ("社保交够十五年没有", "十五年", "15年"),
    ("按最低工资的９０％发吗", "90%", "百分之九十"),
    ("是不是百分之九十", "百分之九十", "90%"),
    ("年满55周岁的士官", "55周岁", "五十五周岁"),
    ("干了两年", "两年", "2年"),
])
def test_numbers_get_their_other_spelling(lexicon, query, word, form):
    assert form in lexicon.entries(clean_query(query, 200))[word]


def test_a_number_without_a_unit_is_left_alone(lexicon):
    assert lexicon.entries("我打了12333电话") == {}


@pytest.mark.parametrize("query", ["我在广州", "我喺深圳返工", "東莞"])
def test_a_guangdong_city_means_the_province(lexicon, query):
    assert "广东省" in lexicon.expand(clean_query(query, 200))
