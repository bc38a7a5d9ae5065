"""Personal data is masked before it is logged, forwarded or stored: no raw sample reaches disk."""

import logging
import sqlite3

import pytest
from fastapi.testclient import TestClient

from actions import store
from knowledge.understand import PLACEHOLDER
from server.config import Settings
from server.dialogue import BotMessage
from server.main import create_app
from server.privacy import MaskingFilter, mask

SAMPLES = ["440106199001011234", "11010519491231002X", "13812345678", "6222021234567890123"]
MESSAGE = f"我的身份证{SAMPLES[0]}，另一个{SAMPLES[1]}，手机{SAMPLES[2]}，银行卡{SAMPLES[3]}，能领补贴吗"


@pytest.mark.parametrize("text, kept", [("2017年4月13日印发", "2017年4月13日"), ("国发〔2017〕28号", "28号"),
                                        ("离校2年内未就业", "2年内"), ("13亿多人口", "13亿")])
def test_policy_numbers_untouched(text, kept):
    assert kept in mask(text)


def test_every_kind_masked():
    masked = mask(MESSAGE)
    assert not any(s in masked for s in SAMPLES)
    assert "4401**********1234" in masked and "138****5678" in masked and "****0123" in masked


class Recorder:
    def __init__(self):
        self.seen = []

    async def reply(self, sender_id, text):
        self.seen.append(text)
        logging.getLogger("dialogue").info("user said: %s", text)
        store.add_handoff(sender_id, text)  # what the action server would record
        return [BotMessage("好的")]


@pytest.mark.integration
def test_no_unmasked_sample_reaches_disk(retriever, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "records.db"))
    log_file = tmp_path / "gateway.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.addFilter(MaskingFilter())
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    try:
        dialogue = Recorder()
        with TestClient(create_app(Settings(), retriever=retriever, dialogue=dialogue)) as c:
            assert c.post("/api/chat", json={"sender_id": "u", "message": MESSAGE}).status_code == 200
        logging.getLogger("anything").warning("raw sample in a log call: %s", SAMPLES[2])
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert not any(s in dialogue.seen[0] for s in SAMPLES)
    on_disk = log_file.read_bytes() + (tmp_path / "records.db").read_bytes()
    for wal in tmp_path.glob("records.db-*"):
        on_disk += wal.read_bytes()
    assert not any(s.encode() in on_disk for s in SAMPLES)
    rows = sqlite3.connect(tmp_path / "records.db").execute("SELECT last_message FROM handoffs").fetchall()
    assert PLACEHOLDER in rows[0][0] and "5678" not in rows[0][0]  # past the gateway only the placeholder travels
