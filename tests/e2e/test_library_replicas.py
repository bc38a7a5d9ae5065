"""Several replicas on one document library in PostgreSQL (real server on loopback): a document published
through one gateway is cited by two action servers that each have an index folder of their own — each
fetches the library's build from PostgreSQL when its version changes, with no restart and no re-embedding."""

from __future__ import annotations

import shutil
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from server.launcher import actions_command
from tests.e2e.conftest import ROOT, gateway_process, stop_all, wait_for
from tests.e2e.services import free_port, postgres, psql
from tests.unit.formats.make_files import docx_file

pytestmark = pytest.mark.integration
BULK = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bulk"
TITLE = "女职工劳动保护特别规定"
EDITOR = {"Authorization": "Bearer replica-editor"}


def own_index(built_settings, folder: Path) -> Path:
    """A copy of the session's index (builds and the `current` link) → the copy's folder."""
    shutil.copytree(built_settings.index_dir, folder, symlinks=True)
    return folder


def action_server(work: Path, name: str, env: dict) -> tuple[subprocess.Popen, str]:
    """An action server with an index folder of its own → (process, URL)."""
    port = free_port()
    log = open(work / f"{name}.log", "w")
    process = subprocess.Popen(actions_command(port), cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def cites(url: str, question: str) -> bool:
    """Run action_answer_policy on an action server for one question → True when the answer cites the document."""
    tracker = {"sender_id": "replica-test", "slots": {}, "latest_message": {"text": question, "intent": {}, "entities": []},
               "events": [], "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": None}
    r = httpx.post(f"{url}/webhook", json={"next_action": "action_answer_policy", "sender_id": "replica-test",
                                           "tracker": tracker, "domain": {}, "version": "3.6.2"}, timeout=120)
    r.raise_for_status()
    citations = [c for m in r.json()["responses"] for c in (m.get("custom") or {}).get("citations", [])]
    return any(TITLE in (c.get("doc_title") or "") for c in citations)


def test_a_document_published_through_one_gateway_is_cited_by_both_action_servers(built_settings, tmp_path):
    import os

    with ExitStack() as stack:
        pg = stack.enter_context(postgres())
        url = f"postgresql://{pg['user']}@{pg['host']}:{pg['port']}/{pg['db']}"
        base = {**os.environ, "PYTHONPATH": str(ROOT), "KNOWLEDGE_LIBRARY_DATABASE_URL": url}
        servers = []
        for name in ("a", "b"):
            env = base | {"KNOWLEDGE_INDEX_DIR": str(own_index(built_settings, tmp_path / f"index-{name}")),
                          "KNOWLEDGE_LIBRARY_DIR": str(tmp_path / f"library-{name}"), "ACTIONS_DB_PATH": str(tmp_path / f"{name}.db")}
            servers.append(action_server(tmp_path, f"actions-{name}", env))
        stack.callback(stop_all, [p for p, _ in servers])
        for process, server in servers:
            wait_for(f"{server}/health", process)
        question = "怀孕的女职工能安排夜班吗"
        assert not any(cites(server, question) for _, server in servers)

        fake_stack = {"db": tmp_path / "gw.db", "rasa": f"http://127.0.0.1:{free_port()}", "actions": servers[0][1], "logs": tmp_path}
        gateway = stack.enter_context(gateway_process(fake_stack, own_index(built_settings, tmp_path / "index-gw"), free_port(), {
            "KNOWLEDGE_LIBRARY_DATABASE_URL": url, "KNOWLEDGE_LIBRARY_DIR": str(tmp_path / "library-gw"),
            "POLICY_STAFF_ACCOUNTS": "zhao:editor:replica-editor"}))
        data = docx_file((BULK / f"{TITLE}-2012-04-28.txt").read_text("utf-8"))
        entry = httpx.post(f"{gateway}/api/library/uploads?name={quote(TITLE + '.docx')}", content=data, headers=EDITOR,
                           timeout=120).json()
        version = httpx.get(f"{gateway}/api/library", headers=EDITOR).json()["version"]
        published = httpx.post(f"{gateway}/api/library/entries/{entry['id']}/publish", json={"base_version": version},
                               headers=EDITOR, timeout=600)
        assert published.status_code == 200, published.text
        assert psql(pg, "SELECT count(*) FROM library_entries WHERE state = 'published'") == "1"
        assert psql(pg, "SELECT count(*) FROM library_builds") == "1"  # the build every replica fetches

        started = time.monotonic()
        waiting = {server for _, server in servers}
        while waiting and time.monotonic() - started < 120:
            waiting = {server for server in waiting if not cites(server, question)}
            time.sleep(0.5)
        assert not waiting, f"never cited by {waiting}"
        print(f"\nboth action servers cite it {time.monotonic() - started:.1f} s after the publish returned")
