"""Live handoff on WeChat: while a staff member holds the conversation the citizen's messages go to them (no
bot reply, "success"), and their replies reach the citizen through the messaging API (local fake)."""

import pytest

from actions import journal, store
from server.channels.render import MAX_BYTES
from tests.channels.test_wechat import AES_KEY, CORP_ID, TOKEN, WorkCrypto, api, encrypted, official, post_plain, sent, text_xml, wecom
from tests.channels.test_wechat import FakeDialogue as Answering

pytestmark = pytest.mark.integration
__all__ = ["api"]  # the fake API fixture, imported for these tests
STAFF = {"Authorization": "Bearer staff-token-1"}
SEND = "/cgi-bin/message/custom/send"


class FakeDialogue(Answering):
    async def resume(self, sender_id):
        pass


def test_official_account_citizen_talks_with_staff_through_the_customer_service_api(retriever, api):
    dialogue = FakeDialogue()
    with official(retriever, dialogue, api, staff_token="staff-token-1") as c:
        post_plain(c, text_xml("灵活就业社保补贴怎么申请", msg_id=1))
        ticket = store.add_handoff("wechat:openid-1", "灵活就业社保补贴怎么申请")
        assert c.post(f"/api/staff/handoffs/{ticket}/claim", headers=STAFF).status_code == 200
        relayed = post_plain(c, text_xml("我在佛山，去年离职", msg_id=2))
        assert relayed.text == "success" and len(dialogue.calls) == 1  # the claimed turn never reached the bot
        reply = c.post(f"/api/staff/handoffs/{ticket}/reply", headers=STAFF, json={"text": "您好，请到佛山市人社局窗口办理。"}).json()
        long = c.post(f"/api/staff/handoffs/{ticket}/reply", headers=STAFF, json={"text": "材料清单：" + "身份证明。" * 200}).json()
        c.post(f"/api/staff/handoffs/{ticket}/handback", headers=STAFF)
        bodies = sent(api, SEND, count=5)
        back = post_plain(c, text_xml("创业担保贷款怎么申请", msg_id=3))
    assert reply["delivered"] is True and long["delivered"] is True
    texts = [b["text"]["content"] for b in bodies]
    assert texts[0].startswith("人工客服已接入") and texts[1] == "您好，请到佛山市人社局窗口办理。"
    assert len(texts) == 5 and all(len(t.encode()) <= MAX_BYTES for t in texts[2:4]) and texts[4].startswith("人工服务已结束")
    assert {b["touser"] for b in bodies} == {"openid-1"}
    assert "答复" in back.text and len(dialogue.calls) == 2  # handed back: the assistant answers again
    rows = journal.transcript("wechat:openid-1")
    assert [(r["role"], r["staff"]) for r in rows if r["text"] == "您好，请到佛山市人社局窗口办理。"] == [("staff", "staff")]
    assert ("citizen", "我在佛山，去年离职") in [(r["role"], r["text"]) for r in rows]


def test_a_refused_delivery_is_reported_to_staff_and_the_message_kept(retriever):
    with official(retriever, FakeDialogue(), None, staff_token="staff-token-1") as c:  # API on a closed port
        ticket = store.add_handoff("wechat:openid-9", "问题")
        c.post(f"/api/staff/handoffs/{ticket}/claim", headers=STAFF)
        r = c.post(f"/api/staff/handoffs/{ticket}/reply", headers=STAFF, json={"text": "您好"}).json()
    assert r["delivered"] is False and "未能通过微信接口送达" in r["error"]
    assert journal.transcript("wechat:openid-9")[-1]["text"] == "您好"


def test_wecom_staff_reply_goes_through_the_application_message_api(retriever, api):
    crypto = WorkCrypto(TOKEN, AES_KEY, CORP_ID)
    with wecom(retriever, FakeDialogue(), api, staff_token="staff-token-1") as c:
        envelope, query = encrypted(crypto, text_xml("就业见习补贴", msg_id=7, user="lisi"))
        c.post("/wechat/work", params=query, content=envelope.encode())
        ticket = store.add_handoff("wecom:lisi", "就业见习补贴")
        c.post(f"/api/staff/handoffs/{ticket}/claim", headers=STAFF)
        c.post(f"/api/staff/handoffs/{ticket}/reply", headers=STAFF, json={"text": "见习补贴由见习单位申请。"})
        bodies = sent(api, "/cgi-bin/message/send", count=2)
    assert [(b["touser"], b["agentid"], b["text"]["content"]) for b in bodies][1] == ("lisi", 1000002, "见习补贴由见习单位申请。")
