"""DIET's entities checked against the NLU vocabulary (bot/components/entity_spans.py), with the real lookup tables."""

from __future__ import annotations

import pytest

from actions import context
from bot.components.entity_spans import Vocabulary


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary({kind: list(forms) for kind, forms in context._mentions().items()}, complete=["group"])


def tagged(text: str, *spans: tuple[str, str]) -> list[dict]:
    """('我是跑外卖的', ('group', '跑')) → DIET-like entity dicts at the first occurrence of each piece."""
    entities, cursor = [], 0
    for kind, piece in spans:
        start = text.index(piece, cursor)
        cursor = start + len(piece)
        entities.append({"entity": kind, "start": start, "end": cursor, "value": piece, "extractor": "DIETClassifier",
                         "confidence_entity": 0.9})
    return entities


def values(entities: list[dict]) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in entities]


def test_a_lone_function_character_is_dropped(vocabulary):
    text = "退役2年的士兵在广州能享受什么扶持"
    found = vocabulary.vet(text, tagged(text, ("group", "退役"), ("group", "的"), ("group", "在")))
    assert values(found) == [("group", "退役")]


def test_a_word_unlike_any_known_form_is_dropped_but_a_new_wording_of_one_stays(vocabulary):
    assert vocabulary.vet("我身体不好能领补贴吗", tagged("我身体不好能领补贴吗", ("group", "身体"))) == []
    text = "外卖小哥受伤了有工伤保险吗"
    assert values(vocabulary.vet(text, tagged(text, ("group", "外卖小哥"), ("benefit", "工伤保险")))) == [
        ("group", "外卖小哥"), ("benefit", "工伤保险")]


def test_fragments_of_one_mention_become_one_entity(vocabulary):
    text = "跑外卖的社保怎么交"
    found = vocabulary.vet(text, tagged(text, ("group", "跑"), ("group", "外卖的"), ("benefit", "社保")))
    assert values(found) == [("group", "跑外卖的"), ("benefit", "社保")]
    assert (found[0]["start"], found[0]["end"], found[0]["extractor"]) == (0, 4, "DIETClassifier")


def test_two_known_forms_side_by_side_stay_two_mentions(vocabulary):
    text = "我是刚毕业的大学生有什么补贴"
    found = vocabulary.vet(text, tagged(text, ("group", "刚毕业的"), ("group", "大学生"), ("benefit", "补贴")))
    assert values(found) == [("group", "刚毕业的"), ("group", "大学生"), ("benefit", "补贴")]


def test_a_mention_cut_short_is_widened_to_the_known_form_in_the_message(vocabulary):
    text = "我是2024年退伍的能申请创业担保贷款吗"
    found = vocabulary.vet(text, tagged(text, ("group", "退伍"), ("benefit", "担保贷款")))
    assert values(found) == [("group", "退伍的"), ("benefit", "创业担保贷款")]
    assert text[found[1]["start"]:found[1]["end"]] == "创业担保贷款"


def test_regions_and_other_entity_types_pass_through(vocabulary):
    text = "广州番禺的骑手有什么补贴"
    other = {"entity": "number", "start": 0, "end": 1, "value": "广"}
    found = vocabulary.vet(text, [other, *tagged(text, ("region", "广州"), ("region", "番禺"), ("group", "骑手"))])
    assert values(found) == [("number", "广"), ("region", "广州"), ("region", "番禺"), ("group", "骑手")]


def test_a_known_group_form_missed_by_diet_is_added_and_marked(vocabulary):
    text = "快递小哥干了2年有哪些保障，社保卡丢了怎么办"
    found = vocabulary.vet(text, [])
    assert values(found) == [("group", "快递小哥")]  # benefit words are not completed: 社保 of 社保卡 is no benefit
    assert found[0]["processors"] == ["LexiconEntityGate"] and (found[0]["start"], found[0]["end"]) == (0, 4)
    assert vocabulary.vet("我是骑手", tagged("我是骑手", ("group", "骑手"))) == tagged("我是骑手", ("group", "骑手"))
