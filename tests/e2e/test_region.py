"""Issue 12's region acceptance through the real stack (trained model, Rasa, action server, gateway): the region
question with buttons, 「广州」 → 广东省失业保险条例 第十九条, 「郑州」 → the national rule and where to ask, a page's
region answers at once, and the region changes when the citizen says so."""

import uuid

import httpx
import pytest

pytestmark = pytest.mark.integration

QUESTION = "失业保险金每个月能领多少"
GD = "gdssybxtl-2022-06-01"
NATIONAL_RULES = {"sybxtl-1999-01-22", "shbxf-2018-12-29"}  # 失业保险条例 第十八条 and 社会保险法 第四十七条 both state who sets it


def chat(gateway: str, sender: str, text: str, region: str | None = None) -> list[dict]:
    body = {"sender_id": sender, "message": text} | ({"metadata": {"region": region}} if region else {})
    r = httpx.post(f"{gateway}/api/chat", json=body, timeout=90)
    r.raise_for_status()
    return r.json()["messages"]


def cited(messages) -> list[dict]:
    return [c for m in messages for c in m["citations"]]


def test_region_question_then_guangzhou_then_a_move_to_zhengzhou(gateway):
    sender = f"region-{uuid.uuid4().hex[:8]}"
    asked = chat(gateway, sender, QUESTION)
    assert not cited(asked) and [b["title"] for b in asked[-1]["buttons"]] == ["广东省", "其他地区"], asked
    answer = chat(gateway, sender, "广州")
    assert cited(answer)[0]["doc_id"] == GD and cited(answer)[0]["path"][-1] == "第十九条", answer
    assert "2022年6月1日修正版" in answer[0]["text"]
    moved = chat(gateway, sender, "我现在在郑州了，失业保险金每个月能领多少")
    assert cited(moved) and GD not in {c["doc_id"] for c in cited(moved)}
    assert "本库暂未收录郑州市或河南省" in moved[0]["text"], moved


def test_zhengzhou_answering_the_region_question_gets_the_national_regulation(gateway):
    sender = f"region-{uuid.uuid4().hex[:8]}"
    chat(gateway, sender, QUESTION)
    answer = chat(gateway, sender, "郑州")
    assert {c["doc_id"] for c in cited(answer)} & NATIONAL_RULES and GD not in {c["doc_id"] for c in cited(answer)}
    assert "本库暂未收录郑州市或河南省关于这一问题的地方规定" in answer[0]["text"] and "12333" in answer[0]["text"]


def test_page_region_is_never_asked(gateway):
    sender = f"region-{uuid.uuid4().hex[:8]}"
    answer = chat(gateway, sender, QUESTION, region="广东省")
    assert cited(answer)[0]["doc_id"] == GD and all("哪个省或城市" not in m["text"] for m in answer), answer


def test_other_region_button_and_an_unknown_place(gateway):
    sender = f"region-{uuid.uuid4().hex[:8]}"
    asked = chat(gateway, sender, QUESTION)
    unknown = chat(gateway, sender, "我在火星")
    assert "「火星」" in unknown[0]["text"] and not cited(unknown)
    other = next(b["payload"] for b in asked[-1]["buttons"] if b["title"] == "其他地区")
    answer = chat(gateway, sender, other)
    assert cited(answer) and GD not in {c["doc_id"] for c in cited(answer)} and "本库暂未收录您所在地区" in answer[0]["text"]
