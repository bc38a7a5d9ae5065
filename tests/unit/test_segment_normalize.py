"""Sentence spans, department lists and query normalisation."""

from knowledge.normalize import clean_query, match_key, to_simplified
from knowledge.segment import MAX_CLAUSE_CHARS, department_names, sentence_spans, split_departments


def test_sentence_spans_cover_text_and_respect_limit():
    text = "第一句话在这里结束。" + "很长的一句，" * 80 + "；最后。短。"
    spans = sentence_spans(text)
    assert all(e - s <= MAX_CLAUSE_CHARS for s, e in spans)
    assert "".join(text[s:e] for s, e in spans) == text


def test_department_parsing():
    body, dept = split_departments("正文内容。（人力资源社会保障部、财政部等负责）")
    assert body == "正文内容。" and department_names(dept) == ["人力资源社会保障部", "财政部"]
    note = "国家发展改革委、财政部等负责。列第一位者为牵头单位，下同"
    assert department_names(note) == ["国家发展改革委", "财政部"]
    assert split_departments("转发（国发〔2017〕28号）的意见，请执行（详见附件）") [1] is None


def test_match_key_folds_width_and_space():
    assert match_key("（一） 促进\n就业") == match_key("(一)促进就业")


def test_traditional_and_cantonese_to_mandarin():
    assert to_simplified("我係應屆畢業生，可以攞咩補貼") == "我是应届毕业生，可以拿什么补贴"
    assert "体系" in to_simplified("健全服務體系")  # 係→是 must not touch 體系


def test_clean_query_strips_controls_and_caps_length():
    assert clean_query("创业\x00贷款\u200b怎么\x1b申请", 100) == "创业 贷款 怎么 申请"
    assert len(clean_query("补贴" * 6000, 200)) == 200
