"""Faults with the real parts: Rasa or the action server killed mid-conversation and restarted (the
dialogue is back once the breaker's probe sees it answer); the gateway restarted; the index missing or
corrupt at start. Hangs (SIGSTOP) are in test_hangs.py."""

import shutil
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from knowledge.errors import IndexMissingError
from server.config import Settings
from server.main import create_app
from tests.e2e.conftest import free_port, gateway_process, restart

pytestmark = pytest.mark.integration


def chat(client, text):
    r = client.post("/api/chat", json={"sender_id": "fault-1", "message": text})
    assert r.status_code == 200
    return r.json()["messages"]


def test_rasa_killed_then_back(spare, retriever):
    settings = Settings(rasa_url=spare["rasa"], actions_url=spare["actions"], rasa_timeout_s=30)
    with TestClient(create_app(settings, retriever=retriever)) as client:
        first = chat(client, "我是应届毕业生能领什么补贴")
        assert "求职创业补贴" in first[0]["text"] and "对话服务暂时不可用" not in first[0]["text"]

        spare["processes"]["rasa"].kill()
        spare["processes"]["rasa"].wait()
        degraded = chat(client, "创业担保贷款有什么政策")
        assert "对话服务暂时不可用" in degraded[0]["text"] and degraded[0]["citations"]

        restart(spare, "rasa")  # on the same port, with the same tracker store
        back = back_within(30, lambda: chat(client, "那需要什么条件"))  # the follow-up still knows the topic from before the crash
        assert "对话服务暂时不可用" not in back[0]["text"] and back[0]["citations"]
        assert any("高校毕业生" in c["text"] + "".join(c["path"]) for c in back[0]["citations"])


def back_within(seconds: float, turn) -> list[dict]:
    """Repeat a turn until the dialogue answers it (the breaker's probe notices the restart) → its messages."""
    deadline = time.monotonic() + seconds
    while "对话服务暂时不可用" in (messages := turn())[0]["text"] and time.monotonic() < deadline:
        time.sleep(1)
    return messages


def test_missing_index_stops_startup_with_its_path(tmp_path, monkeypatch):
    missing = tmp_path / "no-index"
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(missing))
    app = create_app(Settings())
    with pytest.raises(IndexMissingError, match=f"{missing}.*python -m knowledge build"):
        with TestClient(app):
            pass
    assert not missing.exists()  # nothing half-made where the operator pointed: the message is the whole outcome


def ask(base: str, sender: str, text: str) -> list[dict]:
    r = httpx.post(f"{base}/api/chat", json={"sender_id": sender, "message": text}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["messages"]


def test_action_server_down_then_back(spare, built_settings):
    with gateway_process(spare, built_settings.index_dir, free_port()) as base:
        assert ask(base, "ad-1", "我是应届毕业生能领什么补贴")[0]["citations"]
        spare["processes"]["actions"].kill()
        spare["processes"]["actions"].wait()
        degraded = ask(base, "ad-1", "创业担保贷款有什么政策")
        assert "对话服务暂时不可用" in degraded[0]["text"] and degraded[0]["citations"]
        restart(spare, "actions")
        back = back_within(30, lambda: ask(base, "ad-1", "那需要什么条件"))
        assert "对话服务暂时不可用" not in back[0]["text"] and back[0]["citations"]


def test_gateway_restart_keeps_every_conversation(rasa_stack, built_settings):
    port = free_port()
    with gateway_process(rasa_stack, built_settings.index_dir, port) as base:
        first = ask(base, "gr-1", "我是应届毕业生能领什么补贴")
    with gateway_process(rasa_stack, built_settings.index_dir, port) as base:  # a new gateway process
        follow = ask(base, "gr-1", "那需要什么条件")
    assert "求职创业补贴" in first[0]["text"]
    assert follow[0]["citations"] and any("高校毕业生" in c["text"] + "".join(c["path"]) for c in follow[0]["citations"])


def test_corrupt_index_stops_startup_with_its_path(tmp_path, monkeypatch, built_settings):
    broken = tmp_path / "broken"
    shutil.copytree(built_settings.index_dir, broken, symlinks=True)
    (broken / "current" / "clauses.json").write_text("{half-written", "utf-8")
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(broken))
    with pytest.raises(IndexMissingError, match="corrupt.*python -m knowledge build"):
        with TestClient(create_app(Settings())):
            pass
