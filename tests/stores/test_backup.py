"""Backup → lose everything → restore into fresh places: every conversation (through Rasa's own tracker
store API, on SQLite and on a real PostgreSQL), handoff, feedback row, library file and console upload comes back."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from actions import store
from knowledge.config import KnowledgeSettings
from knowledge.library.store import LibraryStore
from server.launcher import APP_PY, ROOT
from tests.e2e.services import postgres, psql

pytestmark = pytest.mark.integration

RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
TRACKERS = Path(__file__).with_name("rasa_trackers.py")
CONVERSATIONS = {
    "web:3f2a9c": ["我是应届毕业生能领什么补贴", "那要准备什么材料"],
    "wechat:o-Lk82": ["送外卖的能自己交养老保险吗"],
    "wecom:wangwu": ["创业担保贷款怎么申请", "转人工"],
}


def site(folder: Path, **extra: str) -> dict:
    """A deployment's settings with every store under folder (SQLite tracker store unless extra says otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "RASA_ENDPOINTS": str(ROOT / "bot" / "endpoints.yml"),
            "TRACKER_DB": str(folder / "tracker.db"), "ACTIONS_DB_PATH": str(folder / "assistant.db"),
            "KNOWLEDGE_SOURCES_DIR": str(folder / "policies"), "KNOWLEDGE_LIBRARY_DIR": str(folder / "library"),
            "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook", **extra}


def rasa_trackers(env: dict, *args: str) -> str:
    done = subprocess.run([str(RASA_PY), "-W", "ignore", str(TRACKERS), env["RASA_ENDPOINTS"], *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def backup(env: dict, *args: str) -> subprocess.CompletedProcess:
    """The operator's command, in a process of its own with env as its whole environment."""
    return subprocess.run([str(APP_PY), "-m", "server.backup", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def records() -> dict:
    """Every handoff (waiting or done) and feedback row of the records file ACTIONS_DB_PATH names."""
    with closing(sqlite3.connect(store.db_path())) as conn:
        handoffs = conn.execute("SELECT id, sender_id, last_message, status FROM handoffs ORDER BY id").fetchall()
    return {"handoffs": handoffs, "waiting": store.waiting_handoffs(), "feedback": store.feedback_rows()}


def populate(env: dict, monkeypatch) -> dict:
    """Conversations through Rasa, records through actions/store.py, a library with a sidecar → what was written."""
    rasa_trackers(env, "write", json.dumps(CONVERSATIONS, ensure_ascii=False))
    monkeypatch.setenv("ACTIONS_DB_PATH", env["ACTIONS_DB_PATH"])
    store.add_handoff("wecom:wangwu", "转人工")
    store.resolve_handoff(store.add_handoff("web:3f2a9c", "那要准备什么材料"))
    store.add_feedback("web:3f2a9c", "good", ["gf2017-28.p3.i9.s2"], "求职创业补贴")
    store.add_feedback("wechat:o-Lk82", "bad", [], "养老保险")
    library = Path(env["KNOWLEDGE_SOURCES_DIR"])
    shutil.copytree(ROOT / "data" / "policies", library)
    (library / "notes").mkdir()
    (library / "notes" / "yuefu-2017-101.meta.json").write_text('{"生效": "2017-06-01"}', "utf-8")  # a sidecar
    uploads = LibraryStore(KnowledgeSettings(library_dir=Path(env["KNOWLEDGE_LIBRARY_DIR"])))  # the console's library
    uploads.add_entry("女职工劳动保护特别规定.txt", "0" * 64, "第一条 为了减少和解决女职工在劳动中因生理特点造成的特殊困难".encode(), "li")
    published = Path(env["KNOWLEDGE_LIBRARY_DIR"]) / "sources"
    published.mkdir()
    (published / "library-1.txt").write_text("第一条 为了减少和解决女职工在劳动中因生理特点造成的特殊困难", "utf-8")
    return records()


def uploads(env: dict) -> list[tuple]:
    """The console library's entries (name, who, bytes) in the library folder env names."""
    entries = LibraryStore(KnowledgeSettings(library_dir=Path(env["KNOWLEDGE_LIBRARY_DIR"]))).entries(with_data=True)
    return [(e.name, e.uploaded_by, e.data) for e in entries]


def library(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_sqlite_backup_wipe_and_restore_into_fresh_folders(tmp_path, monkeypatch):
    old = site(tmp_path / "old")
    written, files = populate(old, monkeypatch), library(Path(old["KNOWLEDGE_SOURCES_DIR"]))
    written_uploads, published = uploads(old), library(Path(old["KNOWLEDGE_LIBRARY_DIR"]) / "sources")
    assert written_uploads and published
    done = backup(old, "create", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text("utf-8"))
    rows = manifest["stores"]["records"]["rows"]
    assert {t: rows[t] for t in ("handoffs", "feedback", "turns")} == {"handoffs": 2, "feedback": 2, "turns": 0}  # other areas add tables too
    assert manifest["stores"]["tracker"]["kind"] == "sqlite" and manifest["stores"]["tracker"]["rows"]["events"] >= 10
    assert "sources/notes/yuefu-2017-101.meta.json" in manifest["stores"]["sources"]["files"]

    refused = backup(old, "restore", str(tmp_path / "backup"))  # the stores still hold data
    assert refused.returncode == 1 and "--force" in refused.stderr and old["ACTIONS_DB_PATH"] in refused.stderr

    shutil.rmtree(tmp_path / "old")  # the disk is lost
    new = site(tmp_path / "new")
    done = backup(new, "restore", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr
    assert json.loads(rasa_trackers(new, "read")) == CONVERSATIONS
    monkeypatch.setenv("ACTIONS_DB_PATH", new["ACTIONS_DB_PATH"])
    assert records() == written
    assert library(Path(new["KNOWLEDGE_SOURCES_DIR"])) == files
    assert uploads(new) == written_uploads and library(Path(new["KNOWLEDGE_LIBRARY_DIR"]) / "sources") == published


@pytest.mark.stack  # starts a real PostgreSQL server
def test_postgres_backup_wipe_and_restore_into_a_fresh_database(tmp_path, monkeypatch):
    with postgres() as pg:
        settings = {"RASA_ENDPOINTS": str(ROOT / "bot" / "endpoints.postgres.yml"), "TRACKER_DB_HOST": pg["host"],
                    "TRACKER_DB_PORT": str(pg["port"]), "TRACKER_DB_NAME": pg["db"], "TRACKER_DB_USER": pg["user"],
                    "TRACKER_DB_PASSWORD": "unused-trust-auth", "LOCK_STORE_HOST": "127.0.0.1", "LOCK_STORE_PORT": "9"}
        old = site(tmp_path / "old", **settings)
        written = populate(old, monkeypatch)
        done = backup(old, "create", str(tmp_path / "backup"))
        assert done.returncode == 0, done.stderr
        assert "pg_dump" not in done.stderr and "unused-trust-auth" not in (tmp_path / "backup" / "manifest.json").read_text("utf-8")

        server = {**pg, "db": "postgres"}
        psql(server, f"DROP DATABASE {pg['db']}")  # the database is lost
        shutil.rmtree(tmp_path / "old")
        psql(server, "CREATE DATABASE restored")
        new = site(tmp_path / "new", **{**settings, "TRACKER_DB_NAME": "restored"})
        done = backup(new, "restore", str(tmp_path / "backup"))
        assert done.returncode == 0, done.stderr
        assert json.loads(rasa_trackers(new, "read")) == CONVERSATIONS
        monkeypatch.setenv("ACTIONS_DB_PATH", new["ACTIONS_DB_PATH"])
        assert records() == written

        refused = backup(new, "restore", str(tmp_path / "backup"))
        assert refused.returncode == 1 and "restored (TRACKER_DB_*)" in refused.stderr
        forced = backup(new, "restore", "--force", str(tmp_path / "backup"))
        assert forced.returncode == 0, forced.stderr
        assert json.loads(rasa_trackers(new, "read")) == CONVERSATIONS  # replaced, not doubled


def test_backup_is_online_and_consistent_while_a_writer_holds_a_transaction(tmp_path, monkeypatch):
    env = site(tmp_path / "live")
    monkeypatch.setenv("ACTIONS_DB_PATH", env["ACTIONS_DB_PATH"])
    store.add_feedback("web:1", "good", ["c1"], "问题一")
    Path(env["KNOWLEDGE_SOURCES_DIR"]).mkdir()
    with closing(sqlite3.connect(env["ACTIONS_DB_PATH"])) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO feedback (sender_id, created, rating, clause_ids, question) VALUES ('web:2', 0, 'bad', '[]', '未提交')")
        done = backup(env, "create", "--skip-missing", str(tmp_path / "backup"))  # no conversation yet: no tracker.db
        writer.rollback()
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text("utf-8"))
    assert manifest["stores"]["records"]["rows"]["feedback"] == 1  # the committed row, not the pending one
    assert manifest["stores"]["tracker"]["kind"] == "missing"


def test_missing_store_damaged_backup_and_occupied_folder_are_refused_with_their_paths(tmp_path, monkeypatch):
    env = site(tmp_path / "live")
    monkeypatch.setenv("ACTIONS_DB_PATH", env["ACTIONS_DB_PATH"])
    store.add_feedback("web:1", "good", ["c1"], "问题一")
    Path(env["KNOWLEDGE_SOURCES_DIR"]).mkdir()
    missing = backup(env, "create", str(tmp_path / "b1"))
    assert missing.returncode == 1 and f"{env['TRACKER_DB']} (TRACKER_DB) does not exist" in missing.stderr
    assert not (tmp_path / "b1").exists() and not list(tmp_path.glob(".b1*"))  # no half backup left

    assert backup(env, "create", "--skip-missing", str(tmp_path / "b1")).returncode == 0
    occupied = backup(env, "create", str(tmp_path / "b1"))
    assert occupied.returncode == 1 and "is not empty" in occupied.stderr

    garbage = site(tmp_path / "garbage")
    Path(garbage["ACTIONS_DB_PATH"]).write_bytes(b"not a database" * 100)
    unreadable = backup(garbage, "restore", str(tmp_path / "b1"))
    assert unreadable.returncode == 1 and f"records: {garbage['ACTIONS_DB_PATH']} (ACTIONS_DB_PATH) cannot be read" in unreadable.stderr

    copy = tmp_path / "b1" / "records.db"
    copy.write_bytes(copy.read_bytes()[:-1] + b"\x01")
    fresh = site(tmp_path / "fresh")
    damaged = backup(fresh, "restore", str(tmp_path / "b1"))
    assert damaged.returncode == 1 and f"{copy} is missing or does not match its checksum" in damaged.stderr
    assert not Path(fresh["ACTIONS_DB_PATH"]).exists()  # nothing was written
