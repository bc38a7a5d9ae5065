"""Hostile and odd messages through the real gateway and Rasa: each is answered or refused with a
Chinese sentence, never a server error; the widget's embedding origins come from the settings."""

import uuid

import httpx
import pytest

pytestmark = pytest.mark.integration

ANSWERED = ["😀😀👍", "\x00\x07\x1b[31m补贴\u202e", "我係應屆畢業生，可以攞咩補貼", "What subsidies can graduates get?",
            "'; DROP TABLE events; --", "<script>alert(1)</script>创业贷款", "补" * 2000, "   a   "]
REFUSED = ["补" * 10_000, ""]


@pytest.mark.parametrize("message", ANSWERED, ids=range(len(ANSWERED)))
def test_odd_messages_are_answered(gateway, message):
    r = httpx.post(f"{gateway}/api/chat", json={"sender_id": f"h-{uuid.uuid4()}", "message": message}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["messages"] and all(m["text"] for m in r.json()["messages"])


@pytest.mark.parametrize("message", REFUSED, ids=["10000-chars", "empty"])
def test_too_long_or_empty_is_refused_in_chinese(gateway, message):
    r = httpx.post(f"{gateway}/api/chat", json={"sender_id": "h-1", "message": message}, timeout=60)
    assert r.status_code == 422 and any(w in r.json()["detail"] for w in ("过长", "不能为空"))


def test_oversized_body_is_413(gateway):
    r = httpx.post(f"{gateway}/api/chat", content=b'{"sender_id":"h","message":"' + b"a" * 200_000 + b'"}',
                   headers={"content-type": "application/json"}, timeout=60)
    assert r.status_code == 413
