"""The turn logic every channel shares: understanding before the dialogue, and the waiting notice while queued."""

import asyncio

import pytest

from actions import store
from knowledge.texts import ASK_CHINESE, WAITING
from server.conversation import converse
from server.dialogue import BotMessage


class Scripted:
    """A dialogue that records what it was sent and answers with one given message."""

    def __init__(self, reply: BotMessage):
        self.reply_message, self.calls = reply, []

    async def reply(self, sender_id, text):
        self.calls.append(text)
        return [self.reply_message]


GREETING = BotMessage("您好！我是就业创业政策助手……")
ANSWER = BotMessage("根据政策文件的规定：……", [{"clause_id": "c"}], extra={"answerable": True})


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "records.db"))


def turn(dialogue, text, user="u1"):
    return asyncio.run(converse(dialogue, None, "web", user, text))


def test_the_dialogue_reads_the_understood_text(db):
    dialogue = Scripted(ANSWER)
    turn(dialogue, "嗯嗯嗯那个啥chuangye daikuan zenme shenqing")
    turn(dialogue, "我手机138****5678，３５岁失业了怎么办")
    assert dialogue.calls == ["创业贷款怎么申请", "我手机〈号码〉，35岁失业了怎么办"]


def test_unreadable_latin_is_asked_again_in_chinese_without_the_dialogue(db):
    dialogue = Scripted(ANSWER)
    assert [m.text for m in turn(dialogue, "asdfgh qwerty")] == [ASK_CHINESE] and dialogue.calls == []


def test_while_queued_small_talk_gets_the_waiting_notice_and_answers_pass(db):
    store.add_handoff("web:u1", "转人工")
    waiting = turn(Scripted(GREETING), "还在吗")
    assert waiting[0].text == WAITING and waiting[0].buttons == [{"title": "取消排队", "payload": "/cancel_handoff"}]
    assert turn(Scripted(ANSWER), "创业担保贷款怎么申请") == [ANSWER]
    assert turn(Scripted(GREETING), "你好", user="u2") == [GREETING]  # not queued: small talk as usual
