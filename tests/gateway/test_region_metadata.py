"""The citizen's region travels as message metadata: widget page → /api/chat → Rasa's REST body; a WeChat
account's configured region with each of its messages; a region setting no data set knows stops start-up."""

import asyncio
import json

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from server.channels.engine import answerer
from server.config import Settings
from server.dialogue import BotMessage, RasaDialogue
from server.main import create_app


class Recording:
    """A dialogue that records (sender, text, metadata) and answers once."""

    def __init__(self):
        self.calls = []

    async def reply(self, sender_id, text, metadata=None):
        self.calls.append((sender_id, text, metadata))
        return [BotMessage("答复", extra={"answerable": True})]

    async def resume(self, sender_id):
        pass


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "records.db"))


def test_page_region_reaches_the_dialogue_and_a_page_without_one_sends_none(retriever, db):
    dialogue = Recording()
    with TestClient(create_app(Settings(), retriever=retriever, dialogue=dialogue), client=("127.0.0.1", 50000)) as c:
        ok = c.post("/api/chat", json={"sender_id": "p1", "message": "失业金领多少", "metadata": {"region": "广东省"}})
        plain = c.post("/api/chat", json={"sender_id": "p2", "message": "失业金领多少"})
        too_long = c.post("/api/chat", json={"sender_id": "p3", "message": "失业金", "metadata": {"region": "省" * 40}})
    assert ok.status_code == plain.status_code == 200 and too_long.status_code == 422
    assert dialogue.calls == [("web:p1", "失业金领多少", {"region": "广东省"}), ("web:p2", "失业金领多少", None)]


def test_rasa_gets_the_metadata_in_its_rest_body():
    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=[{"recipient_id": "web:u", "text": "答复"}])

    async def talk():
        dialogue = RasaDialogue("http://rasa.test", 3.0, httpx.AsyncClient(transport=httpx.MockTransport(handler)))
        await dialogue.reply("web:u", "失业金领多少", {"region": "佛山市"})
        await dialogue.reply("web:u", "失业金领多少")
        await dialogue.close()

    asyncio.run(talk())
    assert sent == [{"sender": "web:u", "message": "失业金领多少", "metadata": {"region": "佛山市"}},
                    {"sender": "web:u", "message": "失业金领多少"}]


def test_wechat_account_region_goes_with_every_message(retriever, db):
    dialogue = Recording()
    asyncio.run(answerer("wechat", dialogue, retriever, "广东省")("openid-1", "失业金领多少"))
    asyncio.run(answerer("wecom", dialogue, retriever)("user-2", "失业金领多少"))
    assert dialogue.calls == [("wechat:openid-1", "失业金领多少", {"region": "广东省"}),
                              ("wecom:user-2", "失业金领多少", None)]


def test_a_region_setting_must_name_a_real_region(monkeypatch):
    assert Settings(wechat_region="佛山市", wecom_region="粤").wecom_region == "粤"
    monkeypatch.setenv("POLICY_WECOM_REGION", "火星")
    with pytest.raises(ValidationError, match="POLICY_WECOM_REGION='火星'"):
        Settings()
