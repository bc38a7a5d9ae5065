"""Hung dependencies with the real parts: Rasa or the action server frozen with SIGSTOP (a hang, not a
crash) and resumed with SIGCONT, behind a real gateway with its default timeouts and breakers.

Frozen: the first affected turn (on WeChat) still gets its passive reply, so it was answered within
the reply deadline, from retrieval and cited; the breaker is open in /readyz and /metrics; the
following web turns skip the dependency (answered from retrieval well before the turn timeout).
Resumed: the dialogue answers again within 30 s.
"""

import os
import re
import signal
import time
from contextlib import contextmanager

import httpx
import pytest

from benchmarks.load_mix import wechat_request
from knowledge.texts import DEGRADED_NOTICE as NOTICE
from server.config import Settings
from tests.e2e.conftest import WECHAT_TOKEN, free_port, gateway_process

pytestmark = pytest.mark.integration
BACK_WITHIN_S = 30  # after SIGCONT (issue 14)
WEB_TIMEOUT_S = Settings().rasa_timeout_s  # the default a production gateway runs with


@pytest.fixture(scope="module")
def hang_stack(spare_stack, built_settings):
    """The spare action server and Rasa (freezing them must not disturb the other tests) behind a gateway of its own."""
    with gateway_process(spare_stack, built_settings.index_dir, free_port(), {"POLICY_RASA_TIMEOUT_S": str(WEB_TIMEOUT_S)}) as base:
        yield spare_stack | {"gateway": base}


@contextmanager
def frozen(process):
    """SIGSTOP the process for the block; SIGCONT whatever happens."""
    os.kill(process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(process.pid, signal.SIGCONT)


def web(base: str, sender: str, text: str) -> tuple[dict, float]:
    """One web chat turn → (its first message, seconds it took)."""
    started = time.monotonic()
    r = httpx.post(f"{base}/api/chat", json={"sender_id": sender, "message": text}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["messages"][0], time.monotonic() - started


def wechat(base: str, openid: str, text: str) -> str:
    """One signed WeChat text message → the gateway's HTTP reply body (passive XML or "success")."""
    params, body = wechat_request(WECHAT_TOKEN, openid, text)
    r = httpx.post(f"{base}/wechat/official", params=params, content=body, timeout=60)
    assert r.status_code == 200, r.text
    return r.text


def breakers(base: str) -> dict:
    return httpx.get(f"{base}/readyz", timeout=30).json()["breakers"]


def wait_until(condition, within_s: float, what: str):
    """Poll condition() once a second → its first truthy value, or fail naming `what`."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"{what} not within {within_s:.0f} s")


def dialogue_answers(base: str, sender: str) -> bool:
    message, _ = web(base, sender, "创业担保贷款有什么政策")
    return NOTICE not in message["text"] and bool(message["citations"])


def assert_degraded_and_back(s: dict, process_name: str, breaker: str) -> None:
    base = s["gateway"]
    wait_until(lambda: dialogue_answers(base, f"before-{breaker}"), 60, "the dialogue before the freeze")
    with frozen(s["processes"][process_name]):
        started = time.monotonic()
        first = wechat(base, f"o-{breaker}-1", "我是应届毕业生能领什么补贴")
        timings = {"first (WeChat)": time.monotonic() - started}
        assert first != "success", "no passive reply: the first affected turn missed WeChat's reply deadline"
        assert NOTICE in first and re.search(r"〔\d{4}〕\d+号", first)  # from retrieval, cited
        wait_until(lambda: breakers(base)[breaker]["state"] == "open", 15, f"the {breaker} breaker opening")
        assert re.search(rf'dependency_breaker_open{{dependency="{breaker}"}} 1\.0', httpx.get(f"{base}/metrics").text)
        for n, text in enumerate(["创业担保贷款有什么政策", "失业保险金每个月能领多少", "失业了怎么做失业登记"]):
            message, seconds = web(base, f"during-{breaker}-{n}", text)
            assert NOTICE in message["text"] and message["citations"]
            assert seconds < WEB_TIMEOUT_S, f"turn {n} took {seconds:.1f} s: it waited for the frozen {process_name}"
            timings[f"next {n + 1} (web)"] = seconds
    resumed = time.monotonic()
    wait_until(lambda: dialogue_answers(base, f"after-{breaker}-{time.monotonic_ns()}"), BACK_WITHIN_S, "the dialogue after SIGCONT")
    timings["dialogue back after SIGCONT"] = time.monotonic() - resumed
    print(f"{process_name} frozen: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))  # shown with -s
    assert all(b["state"] == "closed" for b in breakers(base).values())


def test_rasa_frozen_then_resumed(hang_stack):
    assert_degraded_and_back(hang_stack, "rasa", "rasa")


def test_action_server_frozen_then_resumed(hang_stack):
    """A hung action server makes Rasa hang too (its action call waits up to 5 minutes): the gateway's
    turn timeout catches it and the action server's own breaker keeps turns off Rasa meanwhile."""
    assert_degraded_and_back(hang_stack, "actions", "actions")
