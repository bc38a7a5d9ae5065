"""The insights API: staff only, declared response models, CSV as a download, Chinese errors for a bad range."""

import csv
import io

import pytest

from tests.gateway.test_gateway import FakeDialogue, client
from tests.journal_seed import seed

STAFF = {"Authorization": "Bearer insights-token-1"}
RANGE = {"start": "2026-11-02", "end": "2026-11-03"}


@pytest.fixture
def api(retriever):
    seed()
    with client(retriever, FakeDialogue(), staff_accounts="zhao:staff:insights-token-1") as c:
        yield c


def test_the_views_need_a_staff_login(api):
    for path in ("/api/staff/insights/dashboard", "/api/staff/insights/conversations", "/api/staff/insights/conversations.csv",
                 "/api/staff/insights/conversations/web:a1", "/api/staff/insights/meta"):
        assert api.get(path).status_code == 401, path


def test_search_and_transcript_name_real_clauses(api):
    r = api.get("/api/staff/insights/conversations", params=RANGE | {"outcome": "disliked"}, headers=STAFF)
    assert r.status_code == 200
    assert r.json()["total"] == 2 and [c["sender_id"] for c in r.json()["conversations"]] == ["wechat:d4", "web:b2"]
    transcript = api.get("/api/staff/insights/conversations/web:a1", headers=STAFF).json()
    labels = [c["label"] for c in transcript["messages"][3]["cited"]]
    assert labels[1].startswith("《国务院关于做好当前和今后一段时期就业创业工作的意见》（国发〔2017〕28号）")  # named by the index
    assert api.get("/api/staff/insights/conversations/web:nobody", headers=STAFF).status_code == 404


def test_csv_download(api):
    r = api.get("/api/staff/insights/conversations.csv", params=RANGE | {"channel": "wechat"}, headers=STAFF)
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="conversations-2026-11-02-2026-11-03.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["会话", "渠道", "时间", "角色"] and {row[1] for row in rows[1:]} == {"微信公众号"}


def test_dashboard_and_its_schema(api):
    board = api.get("/api/staff/insights/dashboard", params=RANGE, headers=STAFF).json()
    assert board["totals"][-1] | {"median_reply_ms": 650.0} == board["totals"][-1]
    assert board["totals"][-1]["questions"] == 8 and len(board["days"]) == 6
    schema = api.get("/openapi.json").json()["components"]["schemas"]
    assert {"Dashboard", "ConversationPage", "Transcript", "Meta"} <= set(schema)


@pytest.mark.parametrize("params, message", [({"start": "2026-11-03", "end": "2026-11-02"}, "不能早于"),
                                             ({"start": "2024-01-01", "end": "2026-11-02"}, "最长")])
def test_a_bad_range_is_a_422_in_chinese(api, params, message):
    r = api.get("/api/staff/insights/dashboard", params=params, headers=STAFF)
    assert r.status_code == 422 and message in r.json()["detail"]


def test_default_range_is_the_last_seven_days(api):
    board = api.get("/api/staff/insights/dashboard", headers=STAFF).json()
    assert len({d["day"] for d in board["days"]}) == 7 and board["totals"][-1]["questions"] == 0


def test_meta_gives_the_console_its_names_and_zone(api):
    meta = api.get("/api/staff/insights/meta", headers=STAFF).json()
    assert {o["value"] for o in meta["outcomes"]} >= {"answered", "refused", "handoff", "disliked"}
    assert {"value": "wechat", "label": "微信公众号"} in meta["channels"] and meta["time_zone"] == "Asia/Shanghai"
    assert [r["label"] for r in meta["ratings"]] == ["有帮助", "没帮助"]
