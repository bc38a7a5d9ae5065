"""Faults with the real parts: Rasa killed mid-conversation and restarted; the index missing at start."""

import os
import subprocess

import pytest
from fastapi.testclient import TestClient

from knowledge.config import KnowledgeSettings
from knowledge.errors import IndexMissingError
from server.config import Settings
from server.launcher import RASA
from server.main import create_app
from tests.e2e.conftest import ROOT, free_port, wait_for

pytestmark = pytest.mark.integration


def start_rasa(model, port, endpoints, env):
    process = subprocess.Popen([str(RASA), "run", "--enable-api", "--model", str(model), "--endpoints", str(endpoints),
                                "--credentials", str(ROOT / "bot" / "credentials.yml"), "--port", str(port), "-i", "127.0.0.1"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{port}/", process)
    return process


def chat(client, text):
    r = client.post("/api/chat", json={"sender_id": "fault-1", "message": text})
    assert r.status_code == 200
    return r.json()["messages"]


def test_rasa_killed_then_back(rasa_stack, rasa_model, retriever, tmp_path):
    port = free_port()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: {rasa_stack['actions']}/webhook\n"
                         f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path / 'tracker.db'}\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    rasa = start_rasa(rasa_model, port, endpoints, env)
    settings = Settings(rasa_url=f"http://127.0.0.1:{port}", rasa_timeout_s=30)
    try:
        with TestClient(create_app(settings, retriever=retriever)) as client:
            first = chat(client, "我是应届毕业生能领什么补贴")
            assert "求职创业补贴" in first[0]["text"] and "对话服务暂时不可用" not in first[0]["text"]

            rasa.kill()
            rasa.wait()
            degraded = chat(client, "创业担保贷款有什么政策")
            assert "对话服务暂时不可用" in degraded[0]["text"] and degraded[0]["citations"]

            rasa = start_rasa(rasa_model, port, endpoints, env)
            back = chat(client, "那需要什么条件")  # the follow-up still knows the topic from before the crash
            assert "对话服务暂时不可用" not in back[0]["text"] and back[0]["citations"]
            assert any("高校毕业生" in c["text"] + "".join(c["path"]) for c in back[0]["citations"])
    finally:
        rasa.kill()
        rasa.wait()


def test_missing_index_stops_startup_with_its_path(tmp_path, monkeypatch):
    missing = tmp_path / "no-index"
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(missing))
    app = create_app(Settings())
    with pytest.raises(IndexMissingError, match=f"{missing}.*python -m knowledge build"):
        with TestClient(app):
            pass
    assert KnowledgeSettings().index_dir == missing
