"""The pages in a real browser (Debian's chromium driven by Playwright) against the real stack:
the widget on the demo page and the hotline staff console. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import ROOT, STAFF_TOKEN

pytestmark = pytest.mark.integration
playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# Chromium's own background traffic is refused on a closed network: switch it off.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "chromium is missing: `make test` installs it (apt-get install chromium)"
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, errors  # no uncaught script error on the page


def ask(page, text: str) -> None:
    """Type a question into the widget and wait for the bot's reply."""
    before = page.locator(".pa-msg.pa-bot").count()
    page.fill("#pa-input", text)
    page.click("#pa-send")
    page.wait_for_function(f"document.querySelectorAll('.pa-msg.pa-bot').length > {before}", timeout=60_000)


def test_widget_cited_answer_clarify_and_reload(gateway, page):
    page.goto(gateway + "/")
    page.click("#pa-bubble")
    ask(page, "我是应届毕业生能领什么补贴")
    reply = page.locator(".pa-msg.pa-bot").last
    assert "求职创业补贴" in reply.inner_text()
    citation = reply.locator("details.pa-citation").first
    assert re.search(r"〔2017〕\d+号", citation.locator("summary").inner_text())
    citation.locator("summary").click()
    assert citation.evaluate("d => d.open") and "责任单位" in citation.inner_text()

    shown = page.locator(".pa-msg").count()
    page.reload()  # the conversation survives a reload
    if not page.is_visible("#pa-panel"):
        page.click("#pa-bubble")
    assert page.locator(".pa-msg").count() == shown
    assert "求职创业补贴" in page.locator(".pa-msg.pa-bot").last.inner_text()


def test_widget_clarifying_button_then_answer(gateway, page):
    page.goto(gateway + "/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.click("#pa-bubble")
    ask(page, "有什么补贴可以领")
    quick = page.locator(".pa-quick", has_text="退役军人").last
    before = page.locator(".pa-msg.pa-bot").count()
    quick.click()
    page.wait_for_function(f"document.querySelectorAll('.pa-msg.pa-bot').length > {before}", timeout=60_000)
    assert page.locator(".pa-msg.pa-user").last.inner_text().strip() == "退役军人"
    assert page.locator(".pa-msg.pa-bot").last.locator("details.pa-citation").count() > 0


def test_widget_never_renders_html(gateway, page):
    page.goto(gateway + "/")
    page.click("#pa-bubble")
    ask(page, "<img src=x onerror=\"window.pwned=1\"><b>粗体</b>")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#pa-messages img, #pa-messages b").count() == 0
    assert "<b>粗体</b>" in page.locator(".pa-msg.pa-user").last.inner_text()


def test_widget_on_a_phone_screen(gateway, browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(gateway + "/")
    page.click("#pa-bubble")
    box = page.locator("#pa-panel").bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget_phone.png"))
    context.close()
    assert box["width"] >= 360  # full screen on a phone


def test_staff_console_search_highlight_context_and_queue(gateway, page):
    for text in ("<img src=x onerror=\"window.pwned=1\">创业担保贷款怎么申请", "转人工"):  # a citizen asks for a person
        httpx.post(gateway + "/api/chat", json={"sender_id": "queue-1", "message": text}, timeout=60).raise_for_status()
    page.goto(gateway + "/staff")
    page.fill("#token", "wrong")
    page.click("#login")
    page.wait_for_selector("text=令牌无效")
    page.fill("#token", STAFF_TOKEN)
    page.click("#login")
    page.fill("#q", "创业担保贷款")
    page.wait_for_selector(".result mark")
    first = page.locator(".result").first
    assert "创业担保贷款" in first.inner_text()
    assert any("创业" in m or "贷款" in m for m in first.locator("mark").all_inner_texts())

    page.select_option("#doc", value="yf2017-101")
    page.wait_for_function("[...document.querySelectorAll('.result')].every(r => r.innerText.includes('粤府'))")
    first = page.locator(".result").first
    first.locator(".result-title").click()
    page.wait_for_selector("#context .current")
    assert page.locator("#context").inner_text().strip()
    page.select_option("#doc", value="")
    page.fill("#q", "县级人民政府举办多种形式的职业教育，开展实用技术的培训")
    page.wait_for_function("document.querySelector('#results').innerText.includes('职业教育法')")
    assert "已被修订" not in page.locator("#results").inner_text()  # old versions only on request
    page.check("#old")
    page.wait_for_selector(".result .badge >> text=已被修订")
    page.click("#refresh")
    page.wait_for_selector("#queue-list >> text=web:queue-1")
    item = page.locator("#queue-list li", has_text="web:queue-1")
    assert "<img src=x" in item.inner_text() and item.locator("img").count() == 0  # the question, as text
    assert page.evaluate("window.pwned") is None
