"""The gateway's search routes over the real index."""

import pytest
from fastapi.testclient import TestClient

from server.config import Settings
from server.main import create_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(retriever):
    with TestClient(create_app(Settings(), retriever=retriever)) as c:
        yield c


def test_search_and_filter_by_document(client):
    r = client.post("/api/search", json={"query": "创业担保贷款", "top_k": 3, "doc_id": "gf2017-28"})
    assert r.status_code == 200
    assert r.json()["results"] and all(x["doc_number"] == "国发〔2017〕28号" and x["doc_id"] == "gf2017-28" for x in r.json()["results"])


def test_bad_requests_are_4xx(client):
    assert client.post("/api/search", json={"query": "  "}).status_code == 422
    assert client.post("/api/search", json={"query": "x" * 2001}).status_code == 422
    assert client.post("/api/search", json={"query": "补贴", "top_k": 0}).status_code == 422


def test_clause_and_documents(client):
    clause_id = client.post("/api/search", json={"query": "见习补贴"}).json()["results"][0]["clause_id"]
    assert client.get(f"/api/clauses/{clause_id}").json()["clause_id"] == clause_id
    article = client.post("/api/search", json={"query": "招聘只要男的，这算歧视吗", "doc_id": "jycjf-2015-04-24"}).json()["results"][0]
    assert article["path"][-1] == "第二十七条" and client.get(f"/api/clauses/{article['clause_id']}").json()["asked"]  # what it answers
    assert client.get("/api/clauses/none").status_code == 404
    docs = client.get("/api/documents").json()
    assert [d["doc_number"] for d in docs][:2] == ["粤府〔2017〕101号", "国发〔2017〕28号"]
    assert {d["doc_id"] for d in docs} >= {"zyjyf-1996-05-15", "zyjyf-2022-04-20", "gdssybxtl-2022-06-01"}
    assert client.get("/healthz").json() == {"status": "ok"}
