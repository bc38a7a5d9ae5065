"""Gateway behaviour over the real index: chat merging, retrieval fallback, guards, staff auth, ops."""

import pytest
from fastapi.testclient import TestClient

from actions import store
from server.config import Settings
from server.dialogue import BotMessage, DialogueUnavailable, merge
from server.main import create_app

pytestmark = pytest.mark.integration


class FakeDialogue:
    def __init__(self, fail=False, silent=False):
        self.fail, self.silent, self.calls, self.resumed = fail, silent, [], []

    async def resume(self, sender_id):
        self.resumed.append(sender_id)

    async def reply(self, sender_id, text):
        self.calls.append((sender_id, text))
        if self.fail:
            raise DialogueUnavailable("connection refused")
        if self.silent:
            return []
        return [BotMessage("答复", [{"doc_number": "国发〔2017〕28号", "doc_title": "T", "path": ["一、"], "clause_id": "c", "text": "原文"}],
                           [{"title": "高校毕业生", "payload": "/inform_group"}], {"answerable": True})]


def client(retriever, dialogue, **settings):
    """A test client calling from loopback, as on the machine `make run` serves (/metrics is internal-only)."""
    return TestClient(create_app(Settings(**settings), retriever=retriever, dialogue=dialogue), client=("127.0.0.1", 50000))


def test_merge_rasa_rest_items():
    items = [{"recipient_id": "u", "text": "答复", "buttons": [{"title": "转人工", "payload": "/human_handoff"}]},
             {"recipient_id": "u", "custom": {"text": "答复", "citations": [{"clause_id": "c"}], "buttons": [], "answerable": True}},
             {"recipient_id": "u", "text": "您好"}]
    merged = merge(items)
    assert [m.text for m in merged] == ["答复", "您好"] and merged[0].citations == [{"clause_id": "c"}]
    assert merged[0].extra == {"answerable": True}


def test_chat_forwards_and_returns_structured_messages(retriever):
    dialogue = FakeDialogue()
    with client(retriever, dialogue) as c:
        r = c.post("/api/chat", json={"sender_id": "abc-1", "message": "我是应届毕业生能领什么补贴"})
    assert r.status_code == 200
    msg = r.json()["messages"][0]
    assert msg["citations"][0]["doc_number"] == "国发〔2017〕28号" and msg["buttons"][0]["title"] == "高校毕业生"
    assert dialogue.calls == [("web:abc-1", "我是应届毕业生能领什么补贴")]


def test_chat_falls_back_to_cited_retrieval_when_dialogue_is_down(model_retriever):
    with client(model_retriever, FakeDialogue(fail=True)) as c:
        msg = c.post("/api/chat", json={"sender_id": "u1", "message": "创业担保贷款有什么政策"}).json()["messages"][0]
        nothing = c.post("/api/chat", json={"sender_id": "u1", "message": "明天天气怎么样"}).json()["messages"][0]
    assert "对话服务暂时不可用" in msg["text"] and msg["citations"] and "创业担保贷款" in msg["citations"][0]["text"]
    assert nothing["citations"] == [] and "12333" in nothing["text"]


def test_bad_chat_requests(retriever):
    with client(retriever, FakeDialogue()) as c:
        assert c.post("/api/chat", json={"sender_id": "u", "message": ""}).status_code == 422
        assert c.post("/api/chat", json={"sender_id": "<script>", "message": "hi"}).status_code == 422
        assert c.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422


def test_oversized_body_is_413(retriever):
    with client(retriever, FakeDialogue(), max_body_bytes=1024) as c:
        r = c.post("/api/chat", json={"sender_id": "u", "message": "补" * 2000})
    assert r.status_code == 413 and "过大" in r.json()["detail"]


def test_rate_limit_per_client(retriever):
    with client(retriever, FakeDialogue(), rate_limit_per_minute=3) as c:
        codes = [c.post("/api/chat", json={"sender_id": "u", "message": "你好"}).status_code for _ in range(5)]
        assert c.get("/healthz").status_code == 200  # never limited
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def test_staff_api_requires_the_token(retriever, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "a.db"))
    store.add_handoff("web:u9", "我要找人工")
    with client(retriever, FakeDialogue(), staff_token="s3cret") as c:
        assert c.get("/api/staff/handoffs").status_code == 401
        assert c.get("/api/staff/handoffs", headers={"Authorization": "Bearer wrong"}).status_code == 401
        queue = c.get("/api/staff/handoffs", headers={"Authorization": "Bearer s3cret"}).json()
    assert [h["sender_id"] for h in queue] == ["web:u9"]
    with client(retriever, FakeDialogue()) as c:
        assert c.get("/api/staff/handoffs", headers={"Authorization": "Bearer x"}).status_code == 503


def test_metrics_and_readiness(retriever):
    with client(retriever, FakeDialogue(), rasa_url="http://127.0.0.1:9", actions_url="http://127.0.0.1:9") as c:
        c.post("/api/chat", json={"sender_id": "u", "message": "你好"})
        ready = c.get("/readyz")
        metrics = c.get("/metrics").text
    assert ready.status_code == 503 and ready.json()["checks"] == {"index": True, "rasa": False, "actions": False}
    assert 'gateway_requests_total{route="/api/chat",status="200"}' in metrics
    assert 'assistant_answers_total{answerable="true",channel="web"}' in metrics


def test_search_group_filter_and_clause_context(retriever):
    with client(retriever, FakeDialogue()) as c:
        results = c.post("/api/search", json={"query": "补贴", "top_k": 5, "group": "应届生"}).json()["results"]
        assert results and all("高校毕业生" in r["text"] + "".join(r["path"]) or "大学生" in r["text"] for r in results)
        detail = c.get(f"/api/clauses/{results[0]['clause_id']}").json()
    assert detail["context"] and any(x["clause_id"] == detail["clause_id"] for x in detail["context"])


def test_silent_dialogue_means_a_failed_action_unless_the_conversation_waits_for_staff(model_retriever, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "a.db"))
    store.add_handoff("web:waiting", "转人工")
    with client(model_retriever, FakeDialogue(silent=True)) as c:
        failed = c.post("/api/chat", json={"sender_id": "other", "message": "创业担保贷款有什么政策"}).json()["messages"]
        waiting = c.post("/api/chat", json={"sender_id": "waiting", "message": "还在吗"}).json()["messages"]
    assert "对话服务暂时不可用" in failed[0]["text"] and failed[0]["citations"]  # action server down: retrieval answers
    assert "排队等待人工" in waiting[0]["text"] and not waiting[0]["citations"]


def test_staff_resolves_a_handoff_and_the_bot_resumes(retriever, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "a.db"))
    handoff = store.add_handoff("web:u7", "我要找人工")
    dialogue = FakeDialogue()
    auth = {"Authorization": "Bearer s3cret"}
    with client(retriever, dialogue, staff_token="s3cret") as c:
        assert c.post(f"/api/staff/handoffs/{handoff}/resolve").status_code == 401
        done = c.post(f"/api/staff/handoffs/{handoff}/resolve", headers=auth)
        again = c.post(f"/api/staff/handoffs/{handoff}/resolve", headers=auth)
        queue = c.get("/api/staff/handoffs", headers=auth).json()
    assert done.json()["status"] == "done" and dialogue.resumed == ["web:u7"]
    assert again.status_code == 409 and queue == []  # it exists, but is no longer open


def test_widget_origins_come_from_the_settings(retriever):
    with client(retriever, FakeDialogue(), allowed_origins=["https://www.gd.gov.cn"]) as c:
        allowed = c.options("/api/chat", headers={"Origin": "https://www.gd.gov.cn", "Access-Control-Request-Method": "POST"})
        other = c.options("/api/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert allowed.headers.get("access-control-allow-origin") == "https://www.gd.gov.cn"
    assert "access-control-allow-origin" not in other.headers


def test_invalid_requests_are_explained_in_chinese(retriever):
    with client(retriever, FakeDialogue()) as c:
        long = c.post("/api/chat", json={"sender_id": "u", "message": "补" * 3000}).json()
        missing = c.post("/api/chat", json={"message": "你好"}).json()
    assert long["detail"] == "「消息」过长（最多 2000 个字）" and long["errors"][0]["type"] == "string_too_long"
    assert missing["detail"] == "缺少「会话编号」"
