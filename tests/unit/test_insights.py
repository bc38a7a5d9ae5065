"""Conversation review and dashboard figures on a seeded journal: exact numbers worked out by hand."""

import csv
import io

import pytest

from actions import insights
from actions.insights import Filters, RangeError
from tests.journal_seed import ARTICLE_ID, DAY1, DAY2, NOTICE, UNEMPLOYMENT, seed

ARTICLE = "《国务院关于做好当前和今后一段时期就业创业工作的意见》（国发〔2017〕28号）（九）加大政策支持"
NOTICE_DOC = "《国务院关于做好当前和今后一段时期就业创业工作的意见》"
resolve = {ARTICLE_ID: ARTICLE}.get


@pytest.fixture(autouse=True)
def seeded():
    seed()  # into the per-test ACTIONS_DB_PATH of tests/conftest.py


def figures(rows, day, channel):
    row = next(r for r in rows if r["day"] == day and r["channel"] == channel)
    return {k: row[k] for k in ("questions", "answered", "answered_share", "refused", "handoffs", "liked", "disliked",
                                "median_reply_ms")}


def test_dashboard_per_day_and_channel():
    board = insights.dashboard(DAY1, DAY2, resolve=resolve)
    assert board["channels"] == ["web", "wechat", "wecom"]
    assert [(r["day"], r["channel"]) for r in board["days"]] == [(d, c) for d in ("2026-11-02", "2026-11-03")
                                                                 for c in ("web", "wechat", "wecom")]
    days = board["days"]
    assert figures(days, "2026-11-02", "web") == {"questions": 4, "answered": 2, "answered_share": 0.5, "refused": 1,
                                                  "handoffs": 1, "liked": 1, "disliked": 1, "median_reply_ms": 600.0}
    assert figures(days, "2026-11-02", "wechat") == {"questions": 2, "answered": 1, "answered_share": 0.5, "refused": 0,
                                                     "handoffs": 0, "liked": 0, "disliked": 0, "median_reply_ms": 1050.0}
    assert figures(days, "2026-11-02", "wecom")["questions"] == 0 and figures(days, "2026-11-02", "wecom")["answered_share"] is None
    assert figures(days, "2026-11-03", "wechat") == {"questions": 1, "answered": 0, "answered_share": 0.0, "refused": 1,
                                                     "handoffs": 0, "liked": 0, "disliked": 1, "median_reply_ms": 500.0}
    # asked at 23:59:58, answered after midnight: the question's day counts it
    assert figures(days, "2026-11-03", "wecom") == {"questions": 1, "answered": 1, "answered_share": 1.0, "refused": 0,
                                                    "handoffs": 0, "liked": 0, "disliked": 0, "median_reply_ms": 4000.0}


def test_dashboard_totals_and_topics():
    board = insights.dashboard(DAY1, DAY2, resolve=resolve)
    total = board["totals"][-1]
    assert total["channel"] == "all"
    assert {k: total[k] for k in ("questions", "answered", "answered_share", "refused", "handoffs", "liked", "disliked",
                                  "median_reply_ms")} == {"questions": 8, "answered": 4, "answered_share": 0.5, "refused": 2,
                                                          "handoffs": 1, "liked": 1, "disliked": 2, "median_reply_ms": 650.0}
    assert [(d["day"], d["questions"], d["answered_share"], d["median_reply_ms"]) for d in board["daily"]] == [
        ("2026-11-02", 6, 0.5, 600.0), ("2026-11-03", 2, 0.5, 2250.0)]  # medians of all the day's reply times
    assert [(t["channel"], t["questions"]) for t in board["totals"]] == [("web", 4), ("wechat", 3), ("wecom", 1), ("all", 8)]
    # topics count answered turns citing a clause, once per turn; the day before the range is not counted
    assert [(t["label"], t["count"]) for t in board["topics"]] == [(ARTICLE, 2), (NOTICE, 2), (UNEMPLOYMENT, 1)]  # ties by name
    assert [(t["label"], t["count"]) for t in board["documents"]] == [(NOTICE_DOC, 3), ("《失业保险条例》", 1)]


def test_dashboard_for_one_channel_and_one_day():
    board = insights.dashboard(DAY1, DAY1, channel="wechat")
    assert board["channels"] == ["wechat"] and len(board["days"]) == 1
    assert board["totals"][-1]["questions"] == 2 and board["topics"] == [{"label": UNEMPLOYMENT, "count": 1}]


@pytest.mark.parametrize("outcome, expected", [
    (None, ["wecom:e5", "wechat:d4", "wechat:c3", "web:b2", "web:a1"]),
    ("answered", ["wecom:e5", "wechat:c3", "web:a1"]),
    ("refused", ["wechat:d4", "web:b2"]),
    ("handoff", ["web:b2"]),
    ("disliked", ["wechat:d4", "web:b2"]),
])
def test_review_search_by_outcome_newest_first(outcome, expected):
    total, rows = insights.search(Filters(DAY1, DAY2, outcome=outcome))
    assert total == len(expected) and [r["sender_id"] for r in rows] == expected


def test_review_search_by_channel_text_and_page():
    assert [r["sender_id"] for r in insights.search(Filters(DAY1, DAY2, channel="wechat"))[1]] == ["wechat:d4", "wechat:c3"]
    total, rows = insights.search(Filters(DAY1, DAY2, text="公积金"))
    assert total == 1 and rows[0]["sender_id"] == "web:b2"
    assert rows[0] | {"first_at": 0, "last_at": 0} == {
        "sender_id": "web:b2", "channel": "web", "first_at": 0, "last_at": 0, "questions": 2, "answered": 0, "refused": 1,
        "handoffs": 1, "staff_messages": 1, "liked": 0, "disliked": 1, "first_question": "公积金怎么提取"}
    total, page = insights.search(Filters(DAY1, DAY2), limit=2, offset=2)
    assert total == 5 and [r["sender_id"] for r in page] == ["wechat:c3", "web:b2"]
    assert insights.search(Filters(DAY2, DAY2, channel="web")) == (0, [])


def test_transcript_names_the_clauses_cited():
    conversation = insights.transcript("web:a1", resolve=resolve)
    assert [m["role"] for m in conversation["messages"]] == ["citizen", "bot", "citizen", "bot"]
    assert conversation["messages"][3]["cited"] == [{"clause_id": "gf2017-28.p4.i11.s10", "label": NOTICE},
                                                    {"clause_id": ARTICLE_ID, "label": ARTICLE}]
    assert [(r["rating"], r["question"]) for r in conversation["ratings"]] == [("good", "求职创业补贴怎么申请")]
    assert insights.transcript("web:nobody")["messages"] == []


def test_csv_export_opens_in_excel():
    text = insights.export_csv(Filters(DAY1, DAY2, outcome="refused"), resolve=resolve)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(insights.CSV_HEADER)
    assert [r[0] for r in rows[1:]] == ["web:b2"] * 6 + ["wechat:d4"] * 3
    assert rows[1] == ["web:b2", "网站", "2026-11-02 10:00:00", "市民", "公积金怎么提取", "", "", "", ""]
    assert rows[2][3:6] == ["助手", "（refused的答复）", "未能解答"] and rows[2][7] == "400"
    assert rows[5][3] == "坐席" and rows[5][8] == "wang"
    assert rows[6][3:5] == ["市民评价", "没帮助（公积金怎么提取）"]
    assert rows[7][4].startswith("'=HYPERLINK")  # a citizen's text never runs as an Excel formula
    cited = insights.export_csv(Filters(DAY1, DAY1, channel="web", outcome="answered"), resolve=resolve)
    assert f"{NOTICE}；{ARTICLE}" in cited


@pytest.mark.parametrize("start, end, message", [(DAY2, DAY1, "不能早于"), (DAY1, DAY1.replace(year=2028), "最长")])
def test_a_bad_range_is_refused_in_chinese(start, end, message):
    with pytest.raises(RangeError, match=message):
        Filters(start, end)


@pytest.mark.parametrize("entry, expected", [
    ({"clause_id": ARTICLE_ID, "doc_title": "标题", "path": ["三、", "（九）"]}, {"clause_id": ARTICLE_ID, "label": "《标题》三、（九）"}),
    ({"clause_id": ARTICLE_ID}, {"clause_id": ARTICLE_ID, "label": ARTICLE}),
    (ARTICLE_ID, {"clause_id": ARTICLE_ID, "label": ARTICLE}),
    (UNEMPLOYMENT, {"clause_id": None, "label": UNEMPLOYMENT}),
])
def test_every_citation_form_the_journal_may_hold_gets_a_label(entry, expected):
    assert insights.cited(entry, resolve) == expected
