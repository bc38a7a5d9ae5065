"""A small journal and feedback history with known figures, for the review and dashboard tests (unit and browser).

Beijing days 2026-11-02 (DAY1) and 2026-11-03 (DAY2); one conversation the day before, outside the tested range.
The expected figures are worked out by hand in tests/unit/test_insights.py.
"""

from __future__ import annotations

import json
from contextlib import closing
from datetime import date, datetime, time

from actions import journal
from actions.insights import SERVICE_TZ
from actions.store import connect

DAY0, DAY1, DAY2 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)
NOTICE = "《国务院关于做好当前和今后一段时期就业创业工作的意见》（国发〔2017〕28号）（十一）鼓励高校毕业生多渠道就业"
ARTICLE_ID = "gf2017-28.p3.i9.s2"  # a clause id: the dashboard names it through the index
UNEMPLOYMENT = "《失业保险条例》第十八条"  # a citation string as the journal may keep it


def at(day: date, hh: int, mm: int, ss: int = 0) -> float:
    """A Beijing wall-clock time → epoch seconds."""
    return datetime.combine(day, time(hh, mm, ss), SERVICE_TZ).timestamp()


def _turn(sender, question, when, outcome, latency, citations=None):
    channel = sender.split(":")[0]
    journal.record(sender, channel, "citizen", question, at=when)
    journal.record(sender, channel, "bot", f"（{outcome}的答复）", citations=citations, outcome=outcome,
                   latency_ms=latency, at=when + latency / 1000)


def _rating(sender, rating, question, when, clause_ids=()):
    with closing(connect()) as conn, conn:
        conn.execute("INSERT INTO feedback (sender_id, created, rating, clause_ids, question) VALUES (?, ?, ?, ?, ?)",
                     (sender, when, rating, json.dumps(list(clause_ids)), question))


def seed() -> None:
    """Write the history into the records file at ACTIONS_DB_PATH."""
    notice = {"clause_id": "gf2017-28.p4.i11.s10", "citation": NOTICE, "doc_title": "国务院关于做好当前和今后一段时期就业创业工作的意见"}
    _turn("web:old", "创业补贴有哪些", at(DAY0, 12, 0), "answered", 700, [UNEMPLOYMENT])
    _turn("web:a1", "我是应届毕业生能领什么补贴", at(DAY1, 9, 0), "answered", 800, [notice])
    _turn("web:a1", "求职创业补贴怎么申请", at(DAY1, 9, 1), "answered", 1200, [notice, ARTICLE_ID])
    _rating("web:a1", "good", "求职创业补贴怎么申请", at(DAY1, 9, 2), ["gf2017-28.p4.i11.s10"])
    _turn("web:b2", "公积金怎么提取", at(DAY1, 10, 0), "refused", 400)
    _turn("web:b2", "转人工", at(DAY1, 10, 1), "handoff", 300)
    journal.record("web:b2", "web", "staff", "您好，我是坐席小王，公积金请咨询住房公积金中心。", staff="wang", at=at(DAY1, 10, 3))
    _rating("web:b2", "bad", "公积金怎么提取", at(DAY1, 10, 5))
    _turn("wechat:c3", "失业金每个月能领多少", at(DAY1, 20, 0), "answered", 2000, [UNEMPLOYMENT])
    _turn("wechat:c3", "谢谢", at(DAY1, 20, 1), "smalltalk", 100)
    _turn("wechat:d4", "=HYPERLINK(\"http://x\")社保断缴怎么办", at(DAY2, 8, 0), "refused", 500)
    _rating("wechat:d4", "bad", "社保断缴怎么办", at(DAY2, 8, 1))
    _turn("wecom:e5", "创业担保贷款额度是多少", at(DAY2, 23, 59, 58), "answered", 4000, [ARTICLE_ID])  # answered after midnight
