"""The 知识缺口 view in a real browser (chromium via Playwright): an editor opens the tab, sees the seeded refused
questions grouped, marks the 公积金 group "not covered" and links the 失业 group to a clause; no CSP violation, no
script error. The gateway runs in-process on the real model and index (the dialogue is not needed for this view).
Screenshot: test-artifacts/test_gap_view_groups_link_and_mark.png."""

from __future__ import annotations

import re
import threading
import time

import pytest
import uvicorn

from server.config import Settings
from server.main import create_app
from tests.e2e.services import free_port
from tests.e2e.test_pages import browser, page  # noqa: F401 (fixtures)
from tests.gateway.test_gateway import FakeDialogue
from tests.integration.test_gaps import seed

pytestmark = pytest.mark.integration
EDITOR_TOKEN = "gaps-editor-token"


@pytest.fixture
def console(model_retriever):
    """The gateway in a thread on a free port, with one editor account → its base URL."""
    settings = Settings(staff_accounts=f"li:editor:{EDITOR_TOKEN}", rate_limit_per_minute=10000)
    server = uvicorn.Server(uvicorn.Config(create_app(settings, retriever=model_retriever, dialogue=FakeDialogue()),
                                           host="127.0.0.1", port=free_port(), log_level="warning", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(10)


def test_gap_view_groups_link_and_mark(console, page):  # noqa: F811
    seed(time.time())
    page.goto(console + "/staff")
    page.fill("#token", EDITOR_TOKEN)
    page.click("#login")
    page.click(".view-tab[data-view=gaps-view]")
    page.wait_for_function("() => document.querySelectorAll('#gaps-groups .gap-card').length >= 6", timeout=120_000)
    assert "共 30 条记录" in page.inner_text("#gaps-status")
    assert page.is_hidden("#app") and page.locator("#gaps-groups .gap-trend").count() >= 6

    page.locator(".gap-card", has_text="公积金").first.click()
    page.fill(".gap-mark textarea", "住房公积金的提取、转移和贷款，请咨询当地住房公积金管理中心，或拨打 12345 政务服务热线。")
    page.click(".gap-mark .btn-primary")
    page.wait_for_function("() => document.querySelectorAll('#gaps-curations .curation').length === 1", timeout=60_000)

    page.locator(".gap-card", has_text=re.compile("丢了工作|没活干|厂子倒闭|没收入|被裁")).first.click()
    page.fill(".gap-search input", "失业保险金 领取条件")
    page.click(".gap-search button")
    page.locator(".gap-search .gap-link").first.click()
    page.wait_for_function("() => document.querySelectorAll('#gaps-curations .curation').length === 2", timeout=60_000)
    assert page.locator(".gap-badge.uncovered").count() == 1 and page.locator(".gap-badge.link").count() == 1
    assert "li 创建于" in page.inner_text("#gaps-curations")
