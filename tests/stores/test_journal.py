"""The conversation journal keeps every role's messages in order and lets a client poll for new ones."""

import pytest

from actions import journal


@pytest.fixture(autouse=True)
def records(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONS_DB_PATH", str(tmp_path / "a.db"))


def test_a_conversation_reads_back_in_order_and_polls_from_an_id():
    first = journal.record("web:u1", "web", "citizen", "失业金怎么领")
    journal.record("web:u1", "web", "bot", "按《失业保险条例》……", citations=["失业保险条例 第十条"], outcome="answered", latency_ms=120)
    journal.record("web:u2", "web", "citizen", "你好")
    journal.record("web:u1", "web", "staff", "您好，我是坐席小王", staff="wang")
    rows = journal.transcript("web:u1")
    assert [r["role"] for r in rows] == ["citizen", "bot", "staff"]
    assert rows[1]["citations"] == ["失业保险条例 第十条"] and rows[2]["staff"] == "wang"
    assert [r["role"] for r in journal.transcript("web:u1", after_id=first)] == ["bot", "staff"]


def test_a_time_window_and_an_unknown_role():
    journal.record("wechat:o1", "wechat", "citizen", "早", at=100.0)
    journal.record("wechat:o1", "wechat", "citizen", "晚", at=200.0)
    assert [r["text"] for r in journal.between(50.0, 150.0)] == ["早"]
    with pytest.raises(ValueError, match="role"):
        journal.record("web:u1", "web", "admin", "x")
