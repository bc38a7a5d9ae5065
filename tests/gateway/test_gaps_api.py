"""Knowledge-gap routes: staff read the groups, editors link and mark (who and when recorded), citizens get the
mark's pointer even in degraded mode. Fake embedder: the routes and records are under test, not grouping quality
(tests/integration/test_gaps.py)."""

from __future__ import annotations

import time

from actions import curation, journal, store
from knowledge.links import LINK, NOT_COVERED_LEAD
from tests.gateway.test_gateway import FakeDialogue, client

ACCOUNTS = "wang:staff:wang-token-1,li:editor:li-token-22"
STAFF = {"Authorization": "Bearer wang-token-1"}
EDITOR = {"Authorization": "Bearer li-token-22"}
POINTER = "请咨询当地住房公积金管理中心，或拨打 12345 政务服务热线。"


def seed() -> None:
    now = time.time()
    journal.record("web:a", "web", "citizen", "公积金怎么提取出来，我电话13812345678", at=now - 30)
    journal.record("web:a", "web", "bot", "很抱歉…", outcome="refused", at=now - 29)
    journal.record("web:b", "web", "citizen", "创业担保贷款怎么申请", at=now - 20)
    journal.record("web:b", "web", "bot", "适用政策：…", outcome="answered", at=now - 19)
    store.add_feedback("web:b", "bad", ["c-1"], "创业担保贷款怎么申请")
    store.add_feedback("web:b", "good", ["c-2"], "失业金怎么领")
    store.add_handoff("wechat:c", "个税退税怎么申请")


def test_staff_see_every_kind_of_gap_masked_and_grouped(retriever):
    seed()
    with client(retriever, FakeDialogue(), staff_accounts=ACCOUNTS) as c:
        assert c.get("/api/staff/gaps").status_code == 401
        body = c.get("/api/staff/gaps", headers=STAFF).json()
    questions = {q["text"]: q for g in body["groups"] for q in g["questions"]}
    assert set(questions) == {"公积金怎么提取出来，我电话138****5678", "创业担保贷款怎么申请", "个税退税怎么申请"}
    assert questions["创业担保贷款怎么申请"]["kinds"] == ["feedback"] and questions["创业担保贷款怎么申请"]["clause_ids"] == ["c-1"]
    assert questions["个税退税怎么申请"]["kinds"] == ["handoff"] and questions["个税退税怎么申请"]["channel"] == "wechat"
    assert all(g["clauses"] and len(g["trend"]) == 30 for g in body["groups"])
    assert body["groups"][0]["newest"] >= body["groups"][-1]["newest"]


def test_only_editors_curate_and_every_change_is_recorded(retriever):
    clause = retriever.index.clauses[0]
    link = {"kind": "link", "questions": ["失业了能领钱吗", "失业了能领钱吗 "], "clause_id": clause.clause_id}
    with client(retriever, FakeDialogue(), staff_accounts=ACCOUNTS) as c:
        assert c.post("/api/staff/curations", json=link, headers=STAFF).status_code == 403
        made = c.post("/api/staff/curations", json=link, headers=EDITOR)
        assert made.status_code == 201
        bad = c.post("/api/staff/curations", json=link | {"clause_id": "no-such"}, headers=EDITOR)
        assert bad.status_code == 422 and "no-such" in bad.json()["detail"]
        empty = c.post("/api/staff/curations", json={"kind": "uncovered", "questions": ["公积金"], "pointer": " "}, headers=EDITOR)
        assert empty.status_code == 422 and "转介说明" in empty.json()["detail"]
        mark = c.post("/api/staff/curations", json={"kind": "uncovered", "questions": ["公积金"], "pointer": "请问 12345"},
                      headers=EDITOR).json()["id"]
        assert c.patch(f"/api/staff/curations/{mark}", json={"pointer": POINTER}, headers=EDITOR).status_code == 200
        assert c.patch(f"/api/staff/curations/{mark}", json={"clause_id": clause.clause_id}, headers=EDITOR).status_code == 422
        listed = c.get("/api/staff/curations", headers=STAFF).json()
        assert c.delete(f"/api/staff/curations/{made.json()['id']}", headers=EDITOR).json()["removed"] is True
        assert c.delete(f"/api/staff/curations/{made.json()['id']}", headers=EDITOR).status_code == 404
        history = c.get("/api/staff/curations/history", headers=STAFF).json()
    by_kind = {row["kind"]: row for row in listed}
    assert by_kind["link"]["questions"] == ["失业了能领钱吗"] and by_kind["link"]["clause_text"] == clause.text
    assert by_kind["link"]["created_by"] == "li" and by_kind["link"]["review"] == "" and by_kind["link"]["doc_title"]
    assert by_kind["uncovered"]["pointer"] == POINTER
    assert [h["action"] for h in by_kind["uncovered"]["history"]] == ["created", "updated"]
    assert [(h["action"], h["staff"]) for h in history][:1] == [("removed", "li")]


def test_a_link_to_changed_text_is_flagged_for_review(retriever):
    clause = retriever.index.clauses[0]
    curation.create(LINK, ["问题"], "li", clause_id=clause.clause_id, clause_text=clause.text + "（旧）")
    curation.create(LINK, ["问题二"], "li", clause_id="gone-1", clause_text="x")
    with client(retriever, FakeDialogue(), staff_accounts=ACCOUNTS) as c:
        reviews = sorted(row["review"] for row in c.get("/api/staff/curations", headers=STAFF).json())
    assert reviews == ["关联条款的文字已变更", "关联的条款已不在现行文件库中"]


def test_degraded_answers_give_the_pointer_too(retriever):
    curation.create("uncovered", ["公积金怎么提取出来"], "li", pointer=POINTER)
    with client(retriever, FakeDialogue(fail=True)) as c:
        text = c.post("/api/chat", json={"sender_id": "abc-1", "message": "公积金怎么提取出来"}).json()["messages"][0]["text"]
    assert POINTER in text and NOT_COVERED_LEAD in text
