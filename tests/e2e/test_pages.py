"""The pages in a real browser (Debian's chromium driven by Playwright) against the real stack:
the widget on the demo page and on another site, the hotline staff console, the API docs. Every page
must load without a Content-Security-Policy violation. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import ROOT, STAFF_TOKEN, gateway_process
from tests.e2e.services import free_port

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


def csp_violations(context) -> list[str]:
    """Start recording every CSP violation of the context's pages (console report and DOM event) → the list."""
    found: list[str] = []
    context.expose_binding("__reportCsp", lambda _source, text: found.append(text))
    context.add_init_script("document.addEventListener('securitypolicyviolation', "
                            "e => window.__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI} on ${location.href}`));")
    context.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    violations = csp_violations(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, errors  # no uncaught script error on the page
    assert not violations, violations  # the pages pass their Content-Security-Policy


# Predicates are functions, never expression strings: Playwright evaluates a string with eval(), which
# the pages' CSP rightly refuses.
BOT_REPLIES_OVER = "n => document.querySelectorAll('.pa-msg.pa-bot').length > n"


def ask(page, text: str) -> None:
    """Type a question into the widget and wait for the bot's reply."""
    before = page.locator(".pa-msg.pa-bot").count()
    page.fill("#pa-input", text)
    page.click("#pa-send")
    page.wait_for_function(BOT_REPLIES_OVER, arg=before, timeout=60_000)


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
    page.wait_for_function(BOT_REPLIES_OVER, arg=before, timeout=60_000)
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
    violations = csp_violations(context)
    page = context.new_page()
    page.goto(gateway + "/")
    page.click("#pa-bubble")
    box = page.locator("#pa-panel").bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget_phone.png"))
    context.close()
    assert box["width"] >= 360  # full screen on a phone
    assert not violations, violations


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
    page.wait_for_function("() => [...document.querySelectorAll('.result')].every(r => r.innerText.includes('粤府'))")
    first = page.locator(".result").first
    first.locator(".result-title").click()
    page.wait_for_selector("#context .current")
    assert page.locator("#context").inner_text().strip()
    page.select_option("#doc", value="")
    page.fill("#q", "县级人民政府举办多种形式的职业教育，开展实用技术的培训")
    page.wait_for_function("() => document.querySelector('#results').innerText.includes('职业教育法')")
    assert "已被修订" not in page.locator("#results").inner_text()  # old versions only on request
    page.check("#old")
    page.wait_for_selector(".result .badge >> text=已被修订")
    page.click("#refresh")
    page.wait_for_selector("#queue-list >> text=web:queue-1")
    item = page.locator("#queue-list li", has_text="web:queue-1")
    assert "<img src=x" in item.inner_text() and item.locator("img").count() == 0  # the question, as text
    assert page.evaluate("window.pwned") is None


def test_page_headers_forbid_framing_and_inline_code(gateway):
    for path in ("/", "/staff"):
        csp = httpx.get(gateway + path).headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp and "style-src 'self';" in csp


def test_api_docs_render_from_this_server_within_their_csp(gateway, page):
    page.goto(gateway + "/docs")
    page.wait_for_selector(".opblock", timeout=30_000)  # Swagger UI ran and rendered the operations
    assert "/api/chat" in page.locator(".opblock-summary-path").all_inner_texts()
    page.locator(".opblock-summary", has_text="/api/chat").first.click()
    page.wait_for_selector(".opblock-body")  # an operation opens (its schema rendered) within the CSP


# ---------------------------------------------------------------- the widget on another site


HOST_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>某市人社局</title></head>
<body><h1>某市人力资源和社会保障局</h1><p>欢迎咨询就业创业政策。</p>
<script src="{gateway}/static/widget.js"{attrs} defer></script></body></html>"""


@contextmanager
def host_site(port: int, gateway: str, attrs: str = ""):
    """A second site on loopback (another origin) whose page embeds the widget (script tag `attrs`, e.g.
    data-region), under its own strict CSP."""
    body = HOST_PAGE.format(gateway=gateway, attrs=attrs).encode()
    policy = f"default-src 'self'; script-src 'self' {gateway}; style-src 'self' {gateway}; connect-src {gateway}"

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def sites(rasa_stack, built_settings):
    """A gateway that lets two other sites embed the widget (one a Guangdong page with data-region) and not a
    third → {"allowed", "regional", "other": page URL}."""
    allowed, regional, other = free_port(), free_port(), free_port()
    origins = json.dumps([f"http://127.0.0.1:{allowed}", f"http://127.0.0.1:{regional}"])
    with gateway_process(rasa_stack, built_settings.index_dir, free_port(), {"POLICY_ALLOWED_ORIGINS": origins}) as gateway, \
            host_site(allowed, gateway) as allowed_page, host_site(other, gateway) as other_page, \
            host_site(regional, gateway, ' data-region="广东省"') as regional_page:
        yield {"allowed": allowed_page, "regional": regional_page, "other": other_page}


def test_widget_embedded_on_an_allowed_site_answers_with_citations(sites, page):
    page.goto(sites["allowed"])
    page.click("#pa-bubble")
    ask(page, "创业担保贷款怎么申请")
    reply = page.locator(".pa-msg.pa-bot").last
    assert "pa-error" not in reply.get_attribute("class")
    assert re.search(r"〔2017〕\d+号", reply.locator("details.pa-citation summary").first.inner_text())
    assert page.locator(".pa-bubble").evaluate("b => getComputedStyle(b).borderRadius") == "50%"  # widget.css applied


def test_widget_on_a_page_with_a_region_never_asks_it(sites, page):
    """data-region="广东省" on the script tag: the unemployment-benefit amount is answered from the Guangdong rule."""
    page.goto(sites["regional"])
    page.click("#pa-bubble")
    ask(page, "失业保险金每个月能领多少")
    reply = page.locator(".pa-msg.pa-bot").last
    assert "哪个省或城市" not in reply.inner_text() and "广东省失业保险条例" in reply.inner_text()
    assert "第十九条" in reply.locator("details.pa-citation summary").first.inner_text()


def test_widget_on_a_site_not_allowed_tells_the_citizen_politely(sites, page):
    page.goto(sites["other"])
    page.click("#pa-bubble")
    ask(page, "创业担保贷款怎么申请")
    reply = page.locator(".pa-msg.pa-bot").last
    assert "pa-error" in reply.get_attribute("class") and "12333" in reply.inner_text()


def _answer_layout(page) -> dict:
    """The last bot answer → its lead line, the rest of its text, its citation summaries, its feedback buttons."""
    reply = page.locator(".pa-msg.pa-bot").last
    return {"lead": reply.locator(".pa-lead").inner_text(), "body": reply.locator(".pa-msg-text").nth(1).inner_text(),
            "details": reply.locator("details.pa-citation").count(), "reply": reply}


@pytest.mark.parametrize("viewport, name", [({"width": 1280, "height": 900}, "desktop"), ({"width": 375, "height": 740}, "phone")])
def test_answer_layout_screenshots(gateway, browser, viewport, name):
    for _ in range(2):  # Rasa's first turns load its policies: on a busy machine they may miss the gateway's deadline
        httpx.post(gateway + "/api/chat", json={"sender_id": f"warm-{name}", "message": "创业担保贷款有什么政策"}, timeout=120)
    context = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone", locale="zh-CN")
    page = context.new_page()
    page.goto(gateway + "/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.click("#pa-bubble")
    ask(page, "送外卖的能自己交养老保险吗")
    first = _answer_layout(page)
    assert first["lead"].startswith("适用政策：") and first["body"].startswith("「") and "出处：《" in first["body"]
    assert "责任单位" not in first["body"] and first["details"] >= 1
    ask(page, "创业担保贷款最多能贷多少钱啊")
    second = _answer_layout(page)
    assert second["lead"].startswith("政策文件没有规定具体金额") and "12333" in second["body"]
    buttons = second["reply"].locator("xpath=..").locator(".pa-feedback")
    assert buttons.all_inner_texts() == ["有帮助", "没帮助"]
    box = buttons.first.locator("svg").bounding_box()
    assert box and box["width"] >= 12 and box["height"] >= 12  # drawn, not an emoji glyph that may be missing
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#pa-messages").evaluate("m => { m.scrollTop = m.scrollHeight; }")
    page.screenshot(path=str(ARTIFACTS / f"answer_layout_{name}.png"))
    context.close()
