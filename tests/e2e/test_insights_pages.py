"""The console's 数据看板 and 会话记录 views in a real browser over a seeded journal: the charts are drawn by the
vendored Chart.js under the page's CSP, the review finds, opens and exports conversations. Screenshots go to
test-artifacts/. The gateway runs in-process on the fake embedder: these views read the records, not Rasa."""

from __future__ import annotations

import csv
import io
import threading
import time

import pytest
import uvicorn

from server.config import Settings
from server.main import create_app
from tests.e2e.services import free_port
from tests.e2e import test_pages
from tests.gateway.test_gateway import FakeDialogue
from tests.journal_seed import NOTICE, seed

pytestmark = pytest.mark.integration
browser, page = test_pages.browser, test_pages.page  # the shared browser fixtures (CSP and page errors fail a test)
ARTIFACTS = test_pages.ARTIFACTS
TOKEN = "insights-token-1"


@pytest.fixture(scope="module")
def console(fake_retriever):
    """The gateway in a thread on a free port, one staff account → its base URL."""
    app = create_app(Settings(staff_accounts=f"zhao:staff:{TOKEN}"), retriever=fake_retriever, dialogue=FakeDialogue())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the gateway did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def signed_in(console, page):
    seed()  # into this test's ACTIONS_DB_PATH, which the in-process gateway reads
    page.goto(console + "/staff")
    page.fill("#token", TOKEN)
    page.click("#login")
    page.wait_for_selector("#views", state="visible")
    return page


def choose_range(page, prefix: str) -> None:
    page.fill(f"#{prefix}-start", "2026-11-02")
    page.fill(f"#{prefix}-end", "2026-11-03")


def test_dashboard_draws_its_figures(signed_in):
    page = signed_in
    page.click(".view-tab[data-view=dashboard-view]")
    assert page.is_hidden("#app") and page.is_visible("#dashboard-view")
    choose_range(page, "board")
    page.click("#board-form button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#board-table tbody tr').length === 4")
    cards = dict(zip(page.locator(".card-label").all_inner_texts(), page.locator(".card-value").all_inner_texts()))
    assert cards == {"提问": "8", "解答率": "50.0%", "未能解答": "2", "转人工": "1", "有帮助 / 没帮助": "1 / 2", "回复时间中位数": "0.7 秒"}
    for canvas in ("chart-volume", "chart-outcomes", "chart-latency"):  # Chart.js drew each one
        page.wait_for_function(f"() => !!Chart.getChart(document.getElementById('{canvas}'))")
        assert page.locator(f"#{canvas}").bounding_box()["height"] > 100
    volume = page.evaluate("() => Chart.getChart(document.getElementById('chart-volume')).data.datasets.map(d => d.data)")
    assert volume == [[4, 0], [2, 1], [0, 1], [50, 50]]  # web, wechat, wecom per day; the answered share in %
    topics = page.locator("#board-topics li").all_inner_texts()
    assert len(topics) == 3 and f"{NOTICE}2 次" in topics[:2] and topics[2] == "《失业保险条例》第十八条1 次"
    assert page.locator("#board-documents li").all_inner_texts()[0].endswith("意见》3 次")
    page.set_viewport_size({"width": 1280, "height": 1250})  # the views scroll inside the page: show all of it
    page.screenshot(path=str(ARTIFACTS / "insights-dashboard.png"), full_page=True)


def test_review_finds_opens_and_exports(signed_in):
    page = signed_in
    page.click(".view-tab[data-view=review-view]")
    choose_range(page, "review")
    page.select_option("#review-outcome", "disliked")
    page.click("#review-form button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#review-table tr.conversation').length === 2")
    assert page.inner_text("#review-status") == "共 2 个会话"
    page.locator("#review-table tr.conversation", has_text="公积金怎么提取").click()
    page.wait_for_selector("#review-transcript .turn.role-staff")
    transcript = page.inner_text("#review-transcript")
    assert "坐席" in transcript and "wang" in transcript and "没帮助（公积金怎么提取）" in transcript

    with page.expect_download() as caught:
        page.click("#review-export")
    data = open(caught.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "会话" and {r[0] for r in rows[1:]} == {"web:b2", "wechat:d4"}

    page.select_option("#review-outcome", "answered")
    page.click("#review-form button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#review-table tr.conversation').length === 3")
    page.locator("#review-table tr.conversation", has_text="我是应届毕业生").click()
    cited = page.locator("#review-transcript details.cited").first
    cited.locator("summary").click()  # the clause's text is fetched when it is opened
    cited.locator(".clause-text").wait_for()
    assert "高校毕业生" in cited.locator(".clause-text").inner_text()
    page.screenshot(path=str(ARTIFACTS / "insights-review.png"), full_page=True)


def test_tabs_keep_the_search_view_and_disappear_when_signed_out(signed_in):
    page = signed_in
    assert page.is_visible("#app") and page.is_hidden("#review-view")  # signed in: the search view first, as before
    page.click(".view-tab[data-view=review-view]")
    page.click(".view-tab[data-view=app]")
    page.fill("#q", "创业担保贷款")
    page.wait_for_selector(".result")  # staff.js's search still works beside the new views
    page.click(".view-tab[data-view=review-view]")
    page.click("#logout")
    page.wait_for_selector("#login-view", state="visible")
    assert page.is_hidden("#views") and page.is_hidden("#review-view") and page.is_hidden("#dashboard-view")
