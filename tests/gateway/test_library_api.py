"""The document library API on a real (fake-embedded) index: upload → preview → publish → edit → withdraw,
the change log with undo, roles, concurrent publishes, and untrusted uploads (point 3 of the brief)."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from knowledge.config import KnowledgeSettings
from knowledge.index import build, load
from knowledge.live import LiveRetriever
from knowledge.retrieve import Retriever
from server.config import Settings
from server.main import create_app
from tests.conftest import LAWS, copy_sources
from tests.unit.formats.make_files import docx_file, zip_package

BULK = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bulk"
WOMEN = (BULK / "女职工劳动保护特别规定-2012-04-28.txt").read_text("utf-8")
EDITOR = {"Authorization": "Bearer ed-token"}
STAFF = {"Authorization": "Bearer st-token"}


@pytest.fixture
def lib(tmp_path, fake_embedder):
    """→ (client, knowledge settings, live retriever) over a one-law library with its own folders."""
    sources = copy_sources(tmp_path, LAWS / "就业促进法-2015-04-24.txt")
    ks = KnowledgeSettings(sources_dir=sources, index_dir=tmp_path / "index", library_dir=tmp_path / "library")
    build(ks, fake_embedder, progress=False)
    live = LiveRetriever(Retriever(load(ks), fake_embedder, ks), ks, fake_embedder, check_every_s=0)
    settings = Settings(staff_accounts="li:editor:ed-token,wang:staff:st-token", library_max_upload_mb=1)
    with TestClient(create_app(settings, retriever=live, dialogue=object()), client=("127.0.0.1", 5000)) as c:
        yield c, ks, live


def upload(c, name: str, data: bytes, headers=EDITOR):
    return c.post(f"/api/library/uploads?name={quote(name)}", content=data, headers=headers)


def version(c) -> int:
    return c.get("/api/library", headers=STAFF).json()["version"]


def wait_serving(live, doc_id: str, present: bool = True) -> None:
    """Wait until the live retriever serves (or stops serving) doc_id."""
    deadline = time.monotonic() + 30
    while (doc_id in live.index.by_id) != present:
        assert time.monotonic() < deadline, f"{doc_id} {'never' if present else 'still'} served"
        time.sleep(0.05)


def test_upload_previews_then_publish_edit_withdraw_and_undo(lib):
    c, ks, live = lib
    r = upload(c, "女职工劳动保护特别规定.docx", docx_file(WOMEN))
    assert r.status_code == 200, r.text
    entry = r.json()
    doc = entry["preview"]["documents"][0]
    assert entry["state"] == "draft" and entry["preview"]["ok"] and doc["title"] == "女职工劳动保护特别规定"
    assert doc["kind"] == "行政法规" and doc["clauses"] >= 16
    assert any(node["label"] == "第七条" for node in doc["tree"])  # the clause tree
    assert doc["doc_id"] not in live.index.by_id  # a preview publishes nothing

    r = c.post(f"/api/library/entries/{entry['id']}/publish", json={"base_version": version(c)}, headers=EDITOR)
    assert r.status_code == 200, r.text
    wait_serving(live, doc["doc_id"])
    assert "98天产假" in live.search("女职工生育享受多少天产假", 3).hits[0].clause.text
    listed = c.get("/api/library", headers=STAFF).json()
    row = next(d for d in listed["documents"] if d["doc_id"] == doc["doc_id"])
    assert row["entry_id"] == entry["id"] and row["clauses"] >= 16 and row["region"] == "全国"

    r = c.post(f"/api/library/entries/{entry['id']}/meta", json={"base_version": version(c), "region": "广东省"}, headers=EDITOR)
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 30
    while live.index.by_id.get(doc["doc_id"]) is None or live.index.by_id[doc["doc_id"]].region != "广东省":
        assert time.monotonic() < deadline
        time.sleep(0.05)

    r = c.post(f"/api/library/entries/{entry['id']}/withdraw", json={"base_version": version(c)}, headers=EDITOR)
    assert r.status_code == 200, r.text
    wait_serving(live, doc["doc_id"], present=False)

    log = c.get("/api/library/changes", headers=STAFF).json()
    assert [x["action"] for x in log] == ["withdraw", "edit", "publish", "upload"]
    assert all(x["who"] == "li" and x["at"] for x in log)
    assert log[1]["before"]["meta"] == {} and log[1]["after"]["meta"] == {"region": "广东省"}
    r = c.post(f"/api/library/changes/{log[0]['id']}/undo", json={"base_version": version(c)}, headers=EDITOR)
    assert r.status_code == 200, r.text
    wait_serving(live, doc["doc_id"])  # the withdrawal undone: served again
    again = c.post(f"/api/library/changes/{log[0]['id']}/undo", json={"base_version": version(c)}, headers=EDITOR)
    assert again.status_code == 409 and "撤销过" in again.json()["detail"]


def test_a_new_version_shows_what_changed_article_by_article(lib):
    c, _, _ = lib
    text = (LAWS / "就业促进法-2015-04-24.txt").read_text("utf-8")
    changed = (text.replace("2015年4月24日", "2030年1月1日").replace("（2007年8月30日", "（2007年8月30日", 1)
               .replace("第二十七条　国家保障妇女享有与男子平等的劳动权利。", "第二十七条　国家保障妇女享有与男子完全平等的劳动权利。"))
    changed = changed.replace("第六十九条", "第六十九条之一　新增的条文。\n\n第六十九条") if "第六十九条" in changed else changed
    r = upload(c, "就业促进法（2030年修正）.txt", changed.encode())
    doc = r.json()["preview"]["documents"][0]
    diff = doc["replaces"]["diff"]
    assert doc["replaces"]["title"] == "中华人民共和国就业促进法"
    assert [x["article"] for x in diff["reworded"]] == ["第二十七条"]
    assert "完全平等" in diff["reworded"][0]["after"] and "完全平等" not in diff["reworded"][0]["before"]
    assert diff["unchanged"] > 50


def test_two_editors_publishing_at_once_one_wins_the_other_is_told(lib):
    c, _, _ = lib
    first = upload(c, "女职工劳动保护特别规定.docx", docx_file(WOMEN)).json()["id"]
    second = upload(c, "女职工.txt", WOMEN.replace("98天", "128天").encode()).json()["id"]
    base, results = version(c), {}

    def publish(entry_id):
        results[entry_id] = c.post(f"/api/library/entries/{entry_id}/publish", json={"base_version": base}, headers=EDITOR)

    threads = [threading.Thread(target=publish, args=(e,)) for e in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 409], [r.text for r in results.values()]
    loser = next(r for r in results.values() if r.status_code == 409)
    assert "其他编辑" in loser.json()["detail"]
    states = {e["id"]: e["state"] for e in c.get("/api/library", headers=STAFF).json()["entries"]}
    assert sorted(states.values()) == ["draft", "published"]  # nothing of the loser's was applied


def test_roles_staff_reads_only_editor_changes_citizens_nothing(lib):
    c, _, _ = lib
    assert c.get("/api/library").status_code == 401
    assert c.get("/api/library", headers=STAFF).status_code == 200
    refused = upload(c, "a.txt", WOMEN.encode(), headers=STAFF)
    assert refused.status_code == 403 and "editor" in refused.json()["detail"]
    assert c.post("/api/library/changes/1/undo", json={"base_version": 0}, headers=STAFF).status_code == 403


def test_a_file_that_cannot_be_parsed_is_previewed_with_why_and_cannot_be_published(lib):
    c, _, _ = lib
    entry = upload(c, "红烧肉.txt", "红烧肉的做法\n\n一、准备材料：五花肉500克。\n\n二、步骤：小火炖一小时。\n".encode()).json()
    assert not entry["preview"]["ok"] and "未能识别为政策文件" in entry["preview"]["error"]
    r = c.post(f"/api/library/entries/{entry['id']}/publish", json={"base_version": version(c)}, headers=EDITOR)
    assert r.status_code == 422 and "无法发布" in r.json()["detail"]
    assert version(c) == 0


# ---------------------------------------------------------------- untrusted uploads


def with_part(docx: bytes, name: str, data: bytes) -> bytes:
    """A DOCX → the same package with one part replaced."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    return zip_package({i.filename: (data if i.filename == name else src.read(i)) for i in src.infolist()})


ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            b'<w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            b'<w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("name, make, why", [
    ("bomb.docx", lambda: zip_package({"word/document.xml": b"<w:document>" + b"0" * 30_000_000, "[Content_Types].xml": b"<x/>"}), "压缩炸弹"),
    ("entities.docx", lambda: with_part(docx_file(WOMEN), "word/document.xml", ENTITIES), "实体声明"),
    ("external.docx", lambda: with_part(docx_file(WOMEN), "word/document.xml", EXTERNAL), "实体声明"),
    ("broken.docx", lambda: docx_file(WOMEN)[:2000], "不是有效的 DOCX"),
    ("renamed.docx", lambda: WOMEN.encode(), "不是有效的 DOCX"),
])
def test_hostile_documents_are_previewed_with_a_chinese_reason(lib, name, make, why):
    c, _, _ = lib
    r = upload(c, name, make())
    assert r.status_code == 200, r.text
    assert not r.json()["preview"]["ok"] and why in r.json()["preview"]["error"]


@pytest.mark.parametrize("name", ["../../evil.txt", "..\\evil.txt", "/etc/evil.txt", "sub/evil.txt", ".hidden.txt",
                                  "evil\x00.txt", "evil.exe", "evil"])
def test_path_traversal_and_bad_names_are_refused_and_nothing_is_written(lib, tmp_path, name):
    c, ks, _ = lib
    version(c)  # the library's own store exists
    before = {p for p in tmp_path.rglob("*")}
    r = upload(c, name, WOMEN.encode())
    assert r.status_code == 422 and ("文件名不合法" in r.json()["detail"] or "不支持" in r.json()["detail"])
    assert {p for p in tmp_path.rglob("*")} - before == set()
    assert not (tmp_path.parent / "evil.txt").exists() and not Path("/etc/evil.txt").exists()


def test_uploads_over_the_size_setting_are_refused_before_they_are_read(lib):
    c, _, _ = lib
    r = upload(c, "big.txt", WOMEN.encode() * 400)  # ~1.4 MB over the 1 MB setting
    assert r.status_code == 413 and "上限" in r.json()["detail"]
    assert c.get("/api/library", headers=STAFF).json()["entries"] == []


def test_stored_files_never_take_the_uploaded_name(lib):
    c, ks, _ = lib
    entry = upload(c, "女职工劳动保护特别规定（2012）.txt", WOMEN.encode()).json()
    c.post(f"/api/library/entries/{entry['id']}/publish", json={"base_version": version(c)}, headers=EDITOR)
    assert sorted(p.name for p in ks.library_sources.iterdir()) == [f"library-{entry['id']:05d}.txt"]
    assert all(ks.library_dir in p.parents for p in ks.library_dir.rglob("*"))


def test_a_publish_whose_build_leaves_the_file_out_changes_nothing(lib):
    c, ks, live = lib
    served = live.key
    law = (LAWS / "就业促进法-2015-04-24.txt").read_bytes()  # the same bytes as a shipped source: a duplicate
    entry = upload(c, "就业促进法副本.txt", law).json()
    r = c.post(f"/api/library/entries/{entry['id']}/publish", json={"base_version": version(c)}, headers=EDITOR)
    assert r.status_code == 422 and "内容完全相同" in r.json()["detail"]
    assert version(c) == 0 and not ks.library_sources.exists() or not any(ks.library_sources.iterdir())
    assert (ks.index_dir / "current").resolve().name == served[:16]
    assert [x["action"] for x in c.get("/api/library/changes", headers=STAFF).json()] == ["upload"]
