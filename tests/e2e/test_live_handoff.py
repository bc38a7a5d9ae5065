"""Live handoff on the real stack (Rasa, action server, gateway): a citizen in the widget presses 转人工, a staff
member in /staff reads the transcript, claims, replies (with a cited clause from the search pane); the reply
reaches the widget, also after a reload; staff hand back and the assistant answers again. The same through
the WeChat Official Account, with a local fake of WeChat's customer-service message API."""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import ThreadingHTTPServer

import httpx
import pytest

from tests.channels.test_wechat import FakeApi, text_xml
from tests.e2e.conftest import STAFF_TOKEN, WECHAT_TOKEN, gateway_process
from tests.e2e.services import free_port
from tests.e2e.test_pages import ARTIFACTS, browser, csp_violations  # noqa: F401 (browser is a fixture)

pytestmark = pytest.mark.integration
AUTH = {"Authorization": f"Bearer {STAFF_TOKEN}"}
STAFF_REPLIES_OVER = "n => document.querySelectorAll('.pa-msg.pa-staff').length > n"
BOT_REPLIES_OVER = "n => document.querySelectorAll('.pa-msg.pa-bot').length > n"


def request_of(gateway: str, sender_id: str) -> dict:
    """The open handoff request of a conversation, as the staff API lists it."""
    rows = httpx.get(gateway + "/api/staff/handoffs", headers=AUTH, timeout=30).json()
    return next(r for r in rows if r["sender_id"] == sender_id)


def citizen_asks(page, text: str) -> None:
    before = page.locator(".pa-msg.pa-bot").count()
    page.fill("#pa-input", text)
    page.click("#pa-send")
    page.wait_for_function(BOT_REPLIES_OVER, arg=before, timeout=60_000)


def staff_replies_within(citizen, staff, text: str) -> float:
    """Staff send `text` → seconds until the widget shows it."""
    before = citizen.locator(".pa-msg.pa-staff").count()
    staff.fill("#live-reply", text)
    started = time.monotonic()
    staff.click("#live-send")
    citizen.wait_for_function(STAFF_REPLIES_OVER, arg=before, timeout=15_000)
    return time.monotonic() - started


def test_widget_citizen_and_staff_console_live_handoff(gateway, browser):  # noqa: F811
    contexts = [browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN") for _ in range(2)]
    violations = [v for c in contexts for v in [csp_violations(c)]]
    citizen, staff = (c.new_page() for c in contexts)
    errors: list[str] = []
    for p in (citizen, staff):
        p.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        citizen.goto(gateway + "/")
        citizen.evaluate("localStorage.clear()")
        citizen.reload()
        citizen.click("#pa-bubble")
        citizen_asks(citizen, "我是灵活就业人员，社保补贴怎么申请")
        before = citizen.locator(".pa-msg.pa-bot").count()
        citizen.click("#pa-handoff")
        citizen.wait_for_function(BOT_REPLIES_OVER, arg=before, timeout=60_000)
        assert "排队号" in citizen.locator(".pa-msg.pa-bot").last.inner_text()
        sender = "web:" + citizen.evaluate("localStorage.getItem('pa-sender')")
        ticket = request_of(gateway, sender)["id"]

        staff.goto(gateway + "/staff")
        staff.fill("#token", STAFF_TOKEN)
        staff.click("#login")
        staff.wait_for_function("() => document.title.startsWith('(')", timeout=15_000)  # the waiting badge
        staff.locator(f'.queue-item[data-handoff-id="{ticket}"] .open-conversation').click()
        staff.wait_for_selector("#live-transcript >> text=社保补贴怎么申请")
        assert "智能助手" in staff.locator("#live-transcript").inner_text()  # the bot's answers are in the transcript
        staff.click("#live-claim")
        staff.wait_for_selector("#live-form", state="visible")
        citizen.wait_for_function(STAFF_REPLIES_OVER, arg=0, timeout=15_000)
        assert "人工客服已接入" in citizen.locator(".pa-msg.pa-staff").last.inner_text()

        citizen.fill("#pa-input", "我是去年12月离职的，在广州")
        citizen.click("#pa-send")
        citizen.wait_for_selector("#pa-notice >> text=已转给人工客服", timeout=15_000)
        staff.wait_for_selector("#live-transcript >> text=去年12月离职", timeout=15_000)  # shown live, not answered by the bot
        assert citizen.locator(".pa-msg.pa-bot").count() == before + 1

        staff.fill("#q", "灵活就业 社会保险补贴")
        staff.wait_for_selector(".result .insert-reply", state="visible")
        staff.locator(".result .insert-reply").first.click()
        assert staff.input_value("#live-reply").startswith("根据《")
        first = staff_replies_within(citizen, staff, staff.input_value("#live-reply") + "\n请带身份证到街道人社窗口申请。")
        assert "根据《" in citizen.locator(".pa-msg.pa-staff").last.inner_text()

        citizen.reload()  # the reply is still there, and new ones keep arriving
        if not citizen.is_visible("#pa-panel"):
            citizen.click("#pa-bubble")
        assert "请带身份证" in citizen.locator(".pa-msg.pa-staff").last.inner_text()
        second = staff_replies_within(citizen, staff, "还有其他问题吗？")
        assert citizen.locator(".pa-msg.pa-staff", has_text="还有其他问题吗").count() == 1  # once, not once per poll

        staff.click("#live-handback")
        citizen.wait_for_function("() => [...document.querySelectorAll('.pa-msg.pa-staff')].some(m => m.innerText.includes('人工服务已结束'))",
                                  timeout=15_000)
        citizen_asks(citizen, "创业担保贷款怎么申请")
        assert citizen.locator(".pa-msg.pa-bot").last.locator("details.pa-citation").count() > 0
        staff.wait_for_selector("#live-state >> text=已转回智能助手")
        print(f"staff reply shown in the widget after {first:.2f} s, after a reload {second:.2f} s")
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, p in (("citizen", citizen), ("staff", staff)):
            p.screenshot(path=str(ARTIFACTS / f"live_handoff_{name}.png"), full_page=True)
        for c in contexts:
            c.close()
    assert not errors, errors
    assert not any(violations), violations


def signed() -> dict:
    ts, nonce = str(int(time.time())), "n0nce"
    return {"timestamp": ts, "nonce": nonce, "signature": hashlib.sha1("".join(sorted([WECHAT_TOKEN, ts, nonce])).encode()).hexdigest()}


def wechat(gateway: str, text: str, msg_id: int) -> str:
    r = httpx.post(gateway + "/wechat/official", params=signed(), content=text_xml(text, msg_id=msg_id, user="openid-live").encode(),
                   timeout=30)
    r.raise_for_status()
    return r.text


def api_texts(api, count: int, timeout_s: float = 30) -> list[str]:
    """→ the texts sent through the fake customer-service API once `count` arrived."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        texts = [c[3]["text"]["content"] for c in api.calls if c[0] == "POST" and c[1] == "/cgi-bin/message/custom/send"]
        if len(texts) >= count:
            return texts
        time.sleep(0.1)
    return texts


def test_wechat_official_account_live_handoff(rasa_stack, built_settings):
    api = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    api.calls = []
    threading.Thread(target=api.serve_forever, daemon=True).start()
    env = {"POLICY_WECHAT_API_BASE": f"http://127.0.0.1:{api.server_port}", "POLICY_WECHAT_APP_SECRET": "s3cret"}
    try:
        with gateway_process(rasa_stack, built_settings.index_dir, free_port(), env) as gw:
            wechat(gw, "转人工", 1)
            ticket = request_of(gw, "wechat:openid-live")["id"]
            assert httpx.post(f"{gw}/api/staff/handoffs/{ticket}/claim", headers=AUTH, timeout=30).status_code == 200
            assert wechat(gw, "我想问灵活就业社保补贴", 2) == "success"  # to staff: no bot reply
            seen = httpx.get(f"{gw}/api/staff/handoffs/{ticket}", headers=AUTH, timeout=30).json()["messages"]
            assert seen[-1]["role"] == "citizen" and seen[-1]["text"] == "我想问灵活就业社保补贴"
            sent = httpx.post(f"{gw}/api/staff/handoffs/{ticket}/reply", headers=AUTH, json={"text": "您好，请到街道人社窗口申请。"},
                              timeout=30).json()
            assert sent["delivered"] is True
            httpx.post(f"{gw}/api/staff/handoffs/{ticket}/handback", headers=AUTH, timeout=30).raise_for_status()
            texts = api_texts(api, 3)
            live = [t for t in texts if t.startswith(("人工客服已接入", "您好，请到", "人工服务已结束"))]
            assert len(live) == 3 and live[0].startswith("人工客服已接入") and live[2].startswith("人工服务已结束")
            assert live[1] == "您好，请到街道人社窗口申请。"  # in order: joined, the reply, handed back
            answer = wechat(gw, "创业担保贷款怎么申请", 3)
            answered = answer if answer != "success" else "\n".join(api_texts(api, len(texts) + 1)[len(texts):])
            assert "《" in answered and "贷款" in answered  # the assistant answers again, with its source
    finally:
        api.shutdown()
        api.server_close()
