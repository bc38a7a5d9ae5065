"""The 「文件库」 view in a real browser against the real stack: an editor uploads a DOCX made with
python-docx, previews it, publishes it, and the widget answers from it without a restart; withdrawing it
stops it being cited; the change log shows both. A staff account without the editor role sees no 文件库."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import gateway_process
from tests.e2e.services import free_port
from tests.e2e.test_pages import ARTIFACTS, ask, browser, page  # noqa: F401 — the browser fixtures
from tests.unit.formats.make_files import docx_file

pytestmark = pytest.mark.integration
BULK = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bulk"
TITLE = "女职工劳动保护特别规定"
QUESTION = "怀孕的女职工能安排夜班吗"
ACCOUNTS = "li:editor:lib-editor-token,wang:staff:lib-staff-token"


@pytest.fixture(scope="module")
def editor_gateway(rasa_stack, built_settings, tmp_path_factory):
    """A gateway with an editor account whose library publishes into the stack's index → its URL; the index the
    other tests use is pointed back at its build afterwards."""
    current = built_settings.index_dir / "current"
    before = os.readlink(current)
    env = {"POLICY_STAFF_ACCOUNTS": ACCOUNTS, "KNOWLEDGE_LIBRARY_DIR": str(tmp_path_factory.mktemp("library"))}
    try:
        with gateway_process(rasa_stack, built_settings.index_dir, free_port(), env) as url:
            yield url
    finally:
        tmp = built_settings.index_dir / ".current-restore"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(before)
        os.replace(tmp, current)


def sign_in(page, url: str, token: str) -> None:  # noqa: F811 — the fixture imported above
    page.goto(url + "/staff")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    page.fill("#token", token)
    page.click("#login")
    page.wait_for_selector("#views:not([hidden])")


def cited_within(page, url: str, present: bool, limit_s: float = 90) -> float:  # noqa: F811
    """Ask the widget until the document is (or is no longer) cited → seconds it took; fails after limit_s."""
    started = time.monotonic()
    page.goto(url + "/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.click("#pa-bubble")
    while True:
        ask(page, QUESTION)
        reply = page.locator(".pa-msg.pa-bot").last
        titles = " ".join(reply.locator("details.pa-citation summary").all_inner_texts())
        if (TITLE in titles) == present:
            return time.monotonic() - started
        assert time.monotonic() - started < limit_s, f"after {limit_s} s the widget still {'does not cite' if present else 'cites'} it"
        time.sleep(1)


def test_staff_without_editor_role_sees_no_library(editor_gateway, page):  # noqa: F811
    sign_in(page, editor_gateway, "lib-staff-token")
    page.wait_for_function("() => document.querySelector('#views').hidden === false")
    time.sleep(0.5)  # whoami answered: the tab stays hidden
    assert page.locator("#lib-tab").is_hidden() and page.locator("#library-view").is_hidden()


def test_editor_uploads_docx_previews_publishes_widget_cites_it_then_withdraws(editor_gateway, browser, page, tmp_path):  # noqa: F811
    source = (BULK / f"{TITLE}-2012-04-28.txt").read_text("utf-8")
    upload = tmp_path / f"{TITLE}.docx"
    upload.write_bytes(docx_file(source))
    sign_in(page, editor_gateway, "lib-editor-token")
    page.click("#lib-tab")
    page.wait_for_selector("#library-body:not([hidden])")
    page.set_input_files("#lib-file", str(upload))
    page.click("#lib-upload")
    page.wait_for_selector("#lib-preview h3")
    preview = page.locator("#lib-preview").inner_text()
    assert TITLE in preview and "行政法规" in preview and "无法使用" not in preview
    page.locator("#lib-preview summary", has_text="条款结构").click()
    assert page.locator("#lib-preview .lib-tree-list summary", has_text="第七条").count() == 1

    clicked = time.monotonic()
    page.click("#lib-publish")
    page.wait_for_function("() => document.querySelector('#lib-status').textContent.includes('已发布')", timeout=300_000)
    print(f"\npublish (rebuild with the real model, swap) took {time.monotonic() - clicked:.1f} s")
    row = page.locator("#lib-docs tr", has_text=TITLE)
    assert "上传文件" in row.inner_text()

    widget = browser.new_page()
    published_s = cited_within(widget, editor_gateway, present=True)
    answer = widget.locator(".pa-msg.pa-bot").last.inner_text()
    assert "夜班劳动" in answer
    print(f"\ncited {published_s:.1f} s after publishing")

    row.locator("button", has_text="撤回").click()
    page.wait_for_function("() => document.querySelector('#lib-status').textContent.includes('已撤回')", timeout=300_000)
    withdrawn_s = cited_within(widget, editor_gateway, present=False)
    print(f"no longer cited {withdrawn_s:.1f} s after withdrawing")
    widget.close()

    log = page.locator("#lib-changes").inner_text()
    assert "撤回" in log and "发布" in log and "li" in log
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "library_console.png"), full_page=True)
