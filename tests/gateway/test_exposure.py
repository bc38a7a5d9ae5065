"""Who may read /metrics and the API docs (off / internal addresses / ops token), and the security
headers of every response. The pages' CSP is checked in a real browser in tests/e2e/test_pages.py."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from server.config import Settings
from server.main import STATIC, create_app
from tests.gateway.test_gateway import FakeDialogue

OPS = ("/metrics", "/docs", "/openapi.json", "/static-offline-docs/swagger-ui-bundle.js")
LOOPBACK, OUTSIDE = ("127.0.0.1", 40000), ("203.0.113.7", 40000)


def caller(retriever, address=LOOPBACK, **settings) -> TestClient:
    return TestClient(create_app(Settings(**settings), retriever=retriever, dialogue=FakeDialogue()), client=address)


def test_by_default_only_direct_loopback_callers_see_metrics_and_docs(retriever):
    with caller(retriever) as c:
        assert [c.get(path).status_code for path in OPS] == [200] * len(OPS)
        assert c.get("/redoc").status_code == 404  # one docs UI: ReDoc would fetch its logo from redoc.ly
        assert [c.get(path, headers={"X-Forwarded-For": "198.51.100.2"}).status_code for path in OPS] == [404] * len(OPS)
    with caller(retriever, OUTSIDE) as c:
        assert [c.get(path).status_code for path in OPS] == [404] * len(OPS)
        assert c.get("/healthz").status_code == 200 and c.get("/static/widget.js").status_code == 200


def test_internal_networks_are_a_setting(retriever, monkeypatch):
    monkeypatch.setenv("POLICY_OPS_NETWORKS", '["10.0.0.0/8"]')
    with TestClient(create_app(Settings(), retriever=retriever, dialogue=FakeDialogue()), client=("10.2.3.4", 1)) as c:
        assert c.get("/metrics").status_code == 200
    with caller(retriever, LOOPBACK, ops_networks=["10.0.0.0/8"]) as c:
        assert c.get("/metrics").status_code == 404


def test_token_mode_asks_everyone_for_the_ops_token(retriever):
    with caller(retriever, OUTSIDE, metrics_access="token", docs_access="token", ops_token="ops-secret") as c:
        denied = c.get("/metrics")
        assert denied.status_code == 401 and denied.headers["www-authenticate"] == "Bearer"
        assert c.get("/openapi.json", headers={"Authorization": "Bearer wrong"}).status_code == 401
        auth = {"Authorization": "Bearer ops-secret"}
        assert [c.get(path, headers=auth).status_code for path in OPS] == [200] * len(OPS)
    with caller(retriever, LOOPBACK, metrics_access="token", ops_token="ops-secret") as c:
        assert c.get("/metrics").status_code == 401  # loopback is no exception in token mode
        assert c.get("/docs").status_code == 200  # docs stay internal


def test_off_means_absent_for_everyone(retriever):
    with caller(retriever, LOOPBACK, metrics_access="off", docs_access="off") as c:
        assert [c.get(path).status_code for path in OPS] == [404] * len(OPS)
        assert c.get("/api/documents").status_code == 200


def test_token_mode_without_a_token_stops_start_up_naming_the_setting():
    with pytest.raises(ValidationError, match="POLICY_OPS_TOKEN"):
        Settings(metrics_access="token")


def test_every_response_carries_the_security_headers(retriever):
    with caller(retriever, OUTSIDE, rate_limit_per_minute=3) as c:
        responses = [c.get(p) for p in ("/", "/staff", "/static/widget.js", "/api/documents", "/metrics")]  # 4th: 429
        responses.append(c.get("/healthz"))
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 404, 200]  # /metrics refused before the rate limit
    for r in responses:
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp and "unsafe" not in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-frame-options"] == "DENY"


def test_docs_page_csp_allows_exactly_its_inline_script(retriever):
    with caller(retriever) as c:
        page = c.get("/docs")
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    csp = page.headers["content-security-policy"]
    assert len(inline) == 1 and f"script-src 'self' 'sha256-{digest}';" in csp and "unsafe" not in csp
    assert "cdn." not in page.text  # the UI's files come from this server


@pytest.mark.parametrize("page", ["index.html", "staff.html"])
def test_pages_keep_scripts_and_styles_in_files(page):
    html = (STATIC / page).read_text("utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html)  # no inline style or handler attribute
