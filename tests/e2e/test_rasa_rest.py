"""End to end: trained model + Rasa server + action server + real index, over Rasa's REST channel."""

import sqlite3
import uuid

import httpx
import pytest

from server.dialogue import merge

pytestmark = pytest.mark.integration


def say(stack, sender, text):
    r = httpx.post(f"{stack['rasa']}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    r.raise_for_status()
    return merge(r.json())


def test_policy_question_gets_a_cited_answer(rasa_stack):
    messages = say(rasa_stack, f"e2e-{uuid.uuid4()}", "送外卖的能自己交养老保险吗")
    cited = [m for m in messages if m.citations]
    assert cited, [m.text for m in messages]
    assert "灵活就业人员身份" in "".join(c["text"] for c in cited[0].citations)
    assert cited[0].citations[0]["doc_number"] in cited[0].text


def test_benefits_without_group_clarifies_then_answers(rasa_stack):
    sender = f"e2e-{uuid.uuid4()}"
    first = say(rasa_stack, sender, "我能领什么补贴")
    buttons = [b for m in first for b in m.buttons]
    assert any(b["title"] == "高校毕业生" for b in buttons), [m.text for m in first]
    payload = next(b["payload"] for b in buttons if b["title"] == "高校毕业生")
    second = say(rasa_stack, sender, payload)
    text = "".join(m.text for m in second)
    assert "就业见习补贴" in text and "求职创业补贴" in text


def test_cantonese_benefits_question(rasa_stack):
    messages = say(rasa_stack, f"e2e-{uuid.uuid4()}", "我係應屆畢業生，可以攞咩補貼")
    assert "求职创业补贴" in "".join(m.text for m in messages)


def test_handoff_queues_keeps_answering_and_persists(rasa_stack):
    sender = f"e2e-{uuid.uuid4()}"
    say(rasa_stack, sender, "创业担保贷款怎么申请")
    assert "排队号" in "".join(m.text for m in say(rasa_stack, sender, "转人工"))
    waiting = say(rasa_stack, sender, "创业担保贷款谁能申请")  # not paused: a question is answered, the place offered
    assert any(m.citations for m in waiting) and "/keep_handoff" in [b["payload"] for b in waiting[-1].buttons]
    queue = sqlite3.connect(rasa_stack["db"]).execute("SELECT sender_id FROM handoffs WHERE status='waiting'").fetchall()
    assert (sender,) in queue
    stored = sqlite3.connect(rasa_stack["tracker_db"]).execute("SELECT count(*) FROM events WHERE sender_id=?", (sender,)).fetchone()[0]
    assert stored > 0  # the conversation is persisted in the SQL tracker store
