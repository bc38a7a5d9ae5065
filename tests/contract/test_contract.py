"""The message contract (knowledge/contract.py): one shape for a bot message and a citation, from the
actions through the gateway to the widget and the staff console, and a schema file that cannot drift."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from actions import render
from knowledge import contract
from knowledge.answer import citation_payload
from knowledge.types import Clause
from server.config import Settings
from server.dialogue import BotMessage
from server.main import create_app

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "server" / "static" / "widget.js"
CLAUSE = Clause("gf2017-28-c1", "国发〔2017〕28号", "对高校毕业生给予求职创业补贴。", ["四、抓好重点群体就业创业", "（十一）鼓励高校毕业生多渠道就业"],
                departments=["人力资源社会保障部"], line=42, doc_id="gf2017-28")


class AnsweringDialogue:
    """A dialogue that answers every turn with one cited, answerable message (as the actions send it)."""

    async def reply(self, sender_id, text):
        custom = render.message("适用政策：求职创业补贴。", [citation_payload(CLAUSE, "国务院关于做好当前和今后一段时期就业创业工作的意见")],
                                answerable=True)["json_message"]
        return [BotMessage(custom["text"], custom["citations"], custom["buttons"],
                           {k: v for k, v in custom.items() if k not in ("text", "citations", "buttons")})]

    async def close(self):
        pass


def test_schema_file_is_generated_from_the_models():
    assert contract.SCHEMA_FILE.read_text("utf-8") == contract.schema_text(), "run: python -m knowledge.contract"


def test_the_schema_is_served_to_the_front_ends(fake_retriever):
    with TestClient(create_app(Settings(), retriever=fake_retriever, dialogue=AnsweringDialogue())) as client:
        served = client.get("/static/contract.schema.json")
    assert served.status_code == 200 and served.json() == contract.schema()


def test_schema_check_command_fails_on_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "contract.schema.json"
    stale.write_text("{}\n", "utf-8")
    monkeypatch.setattr(contract, "SCHEMA_FILE", stale)
    assert contract.main(["--check"]) == 1
    assert contract.main([]) == 0 and contract.main(["--check"]) == 0


def test_chat_returns_answerable_and_the_full_citation(fake_retriever):
    with TestClient(create_app(Settings(), retriever=fake_retriever, dialogue=AnsweringDialogue())) as client:
        message = client.post("/api/chat", json={"sender_id": "c-1", "message": "应届生有什么补贴"}).json()["messages"][0]
    assert message["answerable"] is True
    cited = message["citations"][0]
    assert cited["citation"] and cited["source"].startswith("《国务院关于") and cited["official"] is True
    assert "benefit" not in cited and "handoff" not in message  # unset flags are omitted, not null


def test_an_undeclared_message_flag_is_an_error_where_the_message_is_written():
    with pytest.raises(TypeError, match="urgent.*knowledge/contract.py:Message"):
        render.message("答复", urgent=True)


PATCHED_RUN = r'''
import json, sys, importlib.util
from pathlib import Path
source = Path("knowledge/contract.py").read_text("utf-8")
field = "    benefit: str | None = None"
assert field in source
spec = importlib.util.spec_from_loader("knowledge.contract", loader=None)
module = importlib.util.module_from_spec(spec)
module.__file__ = "knowledge/contract.py"
sys.modules["knowledge.contract"] = module
exec(compile(source.replace(field, "    line: int = 0  # added by the test\n" + field), "knowledge/contract.py", "exec"), module.__dict__)

from fastapi.testclient import TestClient
from knowledge.types import Hit, SearchResult
from server.config import Settings
from server.main import create_app
from tests.contract.test_contract import AnsweringDialogue, CLAUSE

class OneHit:
    def search(self, query, k=5, include_superseded=False):
        return SearchResult(query, True, [Hit(CLAUSE, "国务院关于做好当前和今后一段时期就业创业工作的意见", 0.9)])

with TestClient(create_app(Settings(), retriever=OneHit(), dialogue=AnsweringDialogue())) as client:
    chat = client.post("/api/chat", json={"sender_id": "c-2", "message": "应届生有什么补贴"}).json()
    search = client.post("/api/search", json={"query": "求职创业补贴"}).json()
print(json.dumps({"chat": chat, "search": search, "schema": module.schema()}, ensure_ascii=False))
'''


def test_a_field_added_to_the_citation_model_reaches_every_json_and_the_schema(tmp_path):
    """Only knowledge/contract.py changes (a `line` field): the clause's line reaches /api/chat (widget),
    /api/search (staff console) and the generated schema, with no other Python file touched."""
    env = {"PYTHONPATH": str(ROOT), "ACTIONS_DB_PATH": str(tmp_path / "a.db"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", PATCHED_RUN], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen["chat"]["messages"][0]["citations"][0]["line"] == 42
    assert seen["search"]["results"][0]["line"] == 42
    assert seen["schema"]["$defs"]["Citation"]["properties"]["line"]["type"] == "integer"
    assert "line" not in contract.Citation.model_fields  # this process's contract is untouched


def widget_function(name: str) -> str:
    """→ the source of one top-level helper function of widget.js (they are flush at two spaces)."""
    text = WIDGET.read_text("utf-8")
    match = re.search(rf"^  function {name}\(.*?^  }}$", text, re.S | re.M)
    assert match, f"widget.js has no function {name}"
    return match.group(0)


def test_the_widget_keeps_an_unknown_citation_field_and_drops_what_is_not_plain_json():
    node = shutil.which("node")
    assert node, "node is missing: `make test` installs it (apt-get install nodejs)"
    script = "\n".join(widget_function(f) for f in ("str", "strList", "plain", "cleanCitations")) + """
const input = JSON.parse(process.argv[1]);
console.log(JSON.stringify(cleanCitations(input)));
"""
    given = [{"clause_id": "c", "doc_title": "T", "path": ["一、", 3, None], "text": "原文", "line": 42, "region": "广东省",
              "nested": {"x": 1}, "__proto__": ["polluted"], "official": False},
             "not a citation"]
    out = subprocess.run([node, "-e", script, json.dumps(given, ensure_ascii=False)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    (cited,) = json.loads(out.stdout)
    assert cited["line"] == 42 and cited["region"] == "广东省" and cited["official"] is False
    assert cited["path"] == ["一、", "3"] and cited["departments"] == [] and cited["doc_number"] == ""
    assert "nested" not in cited and "__proto__" not in cited


def test_every_api_route_declares_its_response_model(fake_retriever):
    """→ each /api operation's success response is a named model (or a list of one), never a bare dict."""
    paths = create_app(Settings(), retriever=fake_retriever, dialogue=AnsweringDialogue()).openapi()["paths"]
    undeclared = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            if not path.startswith("/api/"):
                continue
            success = next(r for code, r in operation["responses"].items() if code.startswith("2"))
            if "application/json" not in success.get("content", {}):
                continue  # a file (CSV export) or no body (204)
            schema = success["content"]["application/json"]["schema"]
            if "$ref" not in schema and "$ref" not in schema.get("items", {}):
                undeclared.append(f"{method.upper()} {path}")
    assert len(paths) >= 8 and undeclared == []
