"""Live handoff through the gateway: the journal of every turn, claim (one wins), staff replies reaching the
widget's poll, hand back to the assistant, close, and the errors staff and citizens read."""

import asyncio
import threading

import httpx
import pytest

from actions import journal, store
from server.config import Settings
from server.dialogue import BotMessage
from server.main import create_app
from tests.gateway.test_gateway import FakeDialogue, client

ACCOUNTS = "wang:staff:wang-token-1,li:staff:li-token-22"
WANG, LI = {"Authorization": "Bearer wang-token-1"}, {"Authorization": "Bearer li-token-22"}


def queued(c, sender="abc-1", question="灵活就业人员社保补贴怎么申请"):
    """A web citizen asks, then asks for a person → the handoff request id."""
    c.post("/api/chat", json={"sender_id": sender, "message": question})
    return store.add_handoff(f"web:{sender}", question)  # what action_handoff does in the action server


def test_every_turn_is_journaled_with_outcome_citations_and_latency(retriever):
    with client(retriever, FakeDialogue()) as c:
        c.post("/api/chat", json={"sender_id": "abc-1", "message": "我手机13812345678，毕业生能领什么补贴"})
    citizen, bot = journal.transcript("web:abc-1")
    assert (citizen["role"], citizen["channel"], citizen["text"]) == ("citizen", "web", "我手机138****5678，毕业生能领什么补贴")
    assert (bot["role"], bot["text"], bot["outcome"], bot["citations"]) == ("bot", "答复", "answered", ["c"])
    assert bot["latency_ms"] >= 0 and bot["staff"] is None


def test_a_failing_journal_never_fails_the_turn(retriever, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(journal, "record_many", broken)
    with client(retriever, FakeDialogue()) as c:
        r = c.post("/api/chat", json={"sender_id": "abc-1", "message": "毕业生能领什么补贴"})
        metrics = c.get("/metrics").text
    assert r.status_code == 200 and r.json()["messages"][0]["text"] == "答复"
    assert "assistant_journal_failures_total 1.0" in metrics  # the turn's one write


@pytest.mark.parametrize("fields, expected", [
    ({"answerable": True}, "answered"), ({"kind": "benefits"}, "answered"), ({"answerable": False}, "refused"),
    ({"answerable": False, "kind": "not_covered"}, "refused"), ({"kind": "clarify"}, "clarify"),
    ({"handoff": True, "kind": "handoff"}, "handoff"), ({"waiting": True, "kind": "waiting"}, "handoff"),
    ({"kind": "handoff_cancelled"}, "handoff"), ({"answerable": False, "kind": "complaint"}, "complaint"),
    ({"answerable": True, "degraded": True}, "fallback"), ({}, "smalltalk"), ({"kind": "privacy_notice"}, "smalltalk")])
def test_outcome_of_a_bot_message(fields, expected):
    assert journal.outcome(fields) == expected


def test_claimed_conversation_goes_to_staff_and_comes_back_to_the_assistant(retriever):
    dialogue = FakeDialogue()
    with client(retriever, dialogue, staff_accounts=ACCOUNTS) as c:
        ticket = queued(c)
        assert c.get("/api/staff/handoffs", headers=WANG).json()[0]["status"] == "waiting"
        assert c.get("/api/chat/updates", params={"sender_id": "abc-1"}).json() == {"messages": [], "live": True, "staff": False}
        held = c.post(f"/api/staff/handoffs/{ticket}/claim", headers=WANG).json()
        assert (held["status"], held["claimed_by"]) == ("claimed", "wang")

        calls = len(dialogue.calls)
        r = c.post("/api/chat", json={"sender_id": "abc-1", "message": "我是去年12月离职的"}).json()
        assert r == {"messages": [], "staff": True, "live": True} and len(dialogue.calls) == calls  # to staff, not the bot
        seen = c.get(f"/api/staff/handoffs/{ticket}", headers=WANG).json()["messages"]
        assert [m["role"] for m in seen][-2:] == ["staff", "citizen"] and seen[-1]["text"] == "我是去年12月离职的"

        sent = c.post(f"/api/staff/handoffs/{ticket}/reply", headers=WANG, json={"text": "您好，请带身份证到街道人社窗口办理。"}).json()
        assert sent["delivered"] is None  # the widget polls
        updates = c.get("/api/chat/updates", params={"sender_id": "abc-1"}).json()
        assert [m["text"] for m in updates["messages"]][-1] == "您好，请带身份证到街道人社窗口办理。" and updates["staff"]
        assert c.get("/api/chat/updates", params={"sender_id": "abc-1", "after": sent["id"]}).json()["messages"] == []
        assert journal.transcript("web:abc-1", sent["id"] - 1)[0]["staff"] == "wang"  # stored with the account

        assert c.post(f"/api/staff/handoffs/{ticket}/handback", headers=WANG).json()["status"] == "returned"
        assert c.get("/api/chat/updates", params={"sender_id": "abc-1", "after": sent["id"]}).json()["live"] is False
        answer = c.post("/api/chat", json={"sender_id": "abc-1", "message": "创业担保贷款怎么申请"}).json()
        assert answer["messages"][0]["text"] == "答复" and len(dialogue.calls) == calls + 1
        assert dialogue.resumed == ["web:abc-1"]


def test_only_the_holder_replies_hands_back_or_closes(retriever):
    with client(retriever, FakeDialogue(), staff_accounts=ACCOUNTS) as c:
        ticket = queued(c)
        early = c.post(f"/api/staff/handoffs/{ticket}/reply", headers=WANG, json={"text": "您好"})
        assert early.status_code == 409 and early.json()["detail"] == "请先接手该会话再回复。"
        c.post(f"/api/staff/handoffs/{ticket}/claim", headers=WANG)
        for path, body in (("reply", {"text": "您好"}), ("handback", None), ("close", None)):
            r = c.post(f"/api/staff/handoffs/{ticket}/{path}", headers=LI, json=body)
            assert r.status_code == 409 and "wang" in r.json()["detail"]
        assert c.post(f"/api/staff/handoffs/{ticket}/reply", headers=WANG, json={"text": "   "}).status_code == 422
        assert c.post(f"/api/staff/handoffs/{ticket}/close", headers=WANG).json()["status"] == "done"
        again = c.post(f"/api/staff/handoffs/{ticket}/claim", headers=LI)
        assert again.status_code == 409 and again.json()["detail"] == "该会话已不在等待队列中（已取消或已处理）。"
        assert c.post("/api/staff/handoffs/999/claim", headers=LI).status_code == 404
        assert c.get("/api/staff/handoffs", headers=LI).json() == []


def test_two_staff_claiming_at_once_exactly_one_wins(retriever):
    """Both requests are in flight together (the claim runs in worker threads against one SQLite file)."""
    app = create_app(Settings(staff_accounts=ACCOUNTS), retriever=retriever, dialogue=FakeDialogue())

    async def race(ticket):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as c:
            return await asyncio.gather(*(c.post(f"/api/staff/handoffs/{ticket}/claim", headers=h) for h in (WANG, LI)))

    store.ensure_schema()
    for n in range(5):
        results = asyncio.run(race(store.add_handoff(f"web:race-{n}", "问题")))
        codes = sorted(r.status_code for r in results)
        assert codes == [200, 409], codes
        winner = next(r for r in results if r.status_code == 200).json()["claimed_by"]
        loser = next(r for r in results if r.status_code == 409).json()["detail"]
        assert loser == f"该会话已由 {winner} 接手。"


def test_claim_is_atomic_across_many_threads():
    ticket = store.add_handoff("web:many", "问题")
    barrier, wins = threading.Barrier(8), []

    def attempt(name):
        barrier.wait()
        wins.append(store.claim(ticket, name))

    threads = [threading.Thread(target=attempt, args=(f"staff-{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    assert store.handoff(ticket)["claimed_by"] in {f"staff-{i}" for i in range(8)}


def test_the_citizen_can_still_cancel_while_waiting_and_a_new_request_reuses_an_open_one():
    ticket = store.add_handoff("web:c1", "问题")
    assert store.claim(ticket, "wang") and store.add_handoff("web:c1", "又一个问题") == ticket  # one open request each
    other = store.add_handoff("web:c2", "问题")
    assert store.cancel_handoff("web:c2") == other and store.handoff_state("web:c2") is None


def test_while_talking_with_staff_the_citizen_can_still_leave_with_the_cancel_button(retriever):
    dialogue = FakeDialogue()
    with client(retriever, dialogue, staff_accounts=ACCOUNTS) as c:
        ticket = queued(c)
        c.post(f"/api/staff/handoffs/{ticket}/claim", headers=WANG)
        calls = len(dialogue.calls)
        c.post("/api/chat", json={"sender_id": "abc-1", "message": "/cancel_handoff"})
        assert dialogue.calls[calls:] == [("web:abc-1", "/cancel_handoff")]  # the bot's cancel action runs
    assert store.cancel_handoff("web:abc-1") == ticket and store.handoff(ticket)["status"] == "cancelled"


def test_the_handoff_reply_tells_the_widget_to_poll(retriever):
    class Queueing(FakeDialogue):
        async def reply(self, sender_id, text):
            return [BotMessage("已为您转接人工服务（排队号 1）", extra={"handoff": True, "kind": "handoff"})]

    with client(retriever, Queueing()) as c:
        queued_reply = c.post("/api/chat", json={"sender_id": "abc-1", "message": "转人工"}).json()
    with client(retriever, FakeDialogue()) as c:
        answer = c.post("/api/chat", json={"sender_id": "abc-2", "message": "创业贷款"}).json()
    assert queued_reply["live"] is True and queued_reply["staff"] is False and answer["live"] is False


def test_an_abandoned_claim_lets_the_assistant_answer_again(retriever):
    dialogue = FakeDialogue()
    with client(retriever, dialogue, staff_accounts=ACCOUNTS) as c:
        ticket = queued(c)
        c.post(f"/api/staff/handoffs/{ticket}/claim", headers=WANG)
        with store.connect() as conn:  # the holder last acted 16 minutes ago
            conn.execute("UPDATE handoffs SET claimed=claimed-960 WHERE id=?", (ticket,))
        answer = c.post("/api/chat", json={"sender_id": "abc-1", "message": "还有人在吗，创业贷款怎么申请"}).json()
        assert answer["messages"][0]["text"] == "答复" and not answer["staff"]
        c.post(f"/api/staff/handoffs/{ticket}/reply", headers=WANG, json={"text": "抱歉久等了"})  # back: holds it again
        assert c.post("/api/chat", json={"sender_id": "abc-1", "message": "好的"}).json()["staff"] is True
