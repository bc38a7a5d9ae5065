"""The command line, run as a citizen-facing operator would: real index, real subprocesses."""

import json
import os
import subprocess
import sys

import pytest

from knowledge.config import ROOT
from knowledge.evaluate import load_questions

pytestmark = pytest.mark.integration


def run(args, built_settings, stdin=None):
    env = {**os.environ, "KNOWLEDGE_INDEX_DIR": str(built_settings.index_dir)}
    return subprocess.run([sys.executable, "-m", "knowledge", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=900)  # eval embeds the whole library twice


def test_search_json(built_settings):
    out = run(["search", "创业担保贷款怎么申请", "--top-k", "3", "--json"], built_settings)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"query", "answerable", "results"} and len(data["results"]) == 3
    assert set(data["results"][0]) >= {"clause_id", "doc_number", "doc_title", "path", "text", "departments", "score", "notes"}


def test_batch_from_stdin_one_json_line_each_in_order(built_settings):
    queries = ["见习补贴", "", "明天天气怎么样", "留学回国创业"]
    out = run(["search", "--top-k", "2"], built_settings, stdin="\n".join(queries) + "\n")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [x["query"] for x in lines] == queries
    assert lines[1]["answerable"] is False and "请输入" in lines[1]["error"]


def test_empty_query_exits_2_with_chinese_message(built_settings):
    out = run(["search", "  "], built_settings)
    assert out.returncode == 2 and "请输入" in out.stderr


def test_show_clause_with_context_and_notes(built_settings):
    out = run(["show", "gf2017-28.p2.i5.s2"], built_settings)
    assert out.returncode == 0, out.stderr
    assert "国发〔2017〕28号" in out.stdout and "▶" in out.stdout and "新兴业态" in out.stdout
    assert run(["show", "nope"], built_settings).returncode == 2


def test_missing_index_is_reported(tmp_path, built_settings):
    env = {**os.environ, "KNOWLEDGE_INDEX_DIR": str(tmp_path / "none")}
    out = subprocess.run([sys.executable, "-m", "knowledge", "show", "x"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 1 and str(tmp_path / "none") in out.stderr and "knowledge build" in out.stderr


def test_eval_prints_ours_and_both_baselines(built_settings):
    questions = ROOT / "benchmarks" / "questions.yaml"
    out = run(["eval", str(questions)], built_settings)
    assert out.returncode == 0, out.stderr
    loaded = load_questions(questions)
    assert f"{len(loaded.cases)} questions, {len(loaded.out_of_scope)} out of scope" in out.stdout
    rows = markdown_rows(out.stdout)
    assert [r["system"] for r in rows] == ["hybrid (this system)", "baseline: BM25 over raw paragraphs",
                                           "baseline: dense over raw sentences"]
    for r in rows:
        assert 0 <= float(r["hit@1"]) <= float(r["hit@3"]) <= float(r["hit@5"]) <= 1 and 0 <= float(r["MRR"]) <= 1, r
    ours, *baselines = rows
    assert all(float(ours["hit@5"]) > float(b["hit@5"]) and float(ours["MRR"]) > float(b["MRR"]) for b in baselines), rows
    assert 0 <= float(ours["answered"]) <= 1 and 0 <= float(ours["OOS refused"]) <= 1
    assert int(ours["max cite"]) <= 300  # a clause, never a whole paragraph, is quoted


def markdown_rows(text: str) -> list[dict]:
    """The eval's output → its Markdown table as {column: cell} rows."""
    lines = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    return [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]


def test_build_report_strict_and_documents_listing(tmp_path, monkeypatch, capsys):
    """The build report and listing are the CLI's (main() in-process, the fake embedder: the unit tier); the
    subprocess entry point is the other tests' (they need the real index)."""
    from knowledge import __main__ as cli_main, embed
    from tests.conftest import LAWS, copy_sources
    from tests.doubles import FakeEmbedder

    sources = copy_sources(tmp_path, LAWS / "就业促进法-2015-04-24.txt")
    (sources / "recipe.txt").write_text("红烧肉的做法\n\n一、准备材料：五花肉500克。\n", "utf-8")
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("KNOWLEDGE_SOURCES_DIR", str(sources))
    monkeypatch.setattr(embed, "Embedder", lambda path=None: FakeEmbedder())

    def cli(*args):
        code = cli_main.main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    strict = cli("build", "--strict")
    assert strict.returncode == 1 and "recipe.txt:1: not a policy document" in strict.stderr
    assert not (tmp_path / "index" / "current").exists()  # nothing half-built became current
    out = cli("build")
    assert out.returncode == 0, out.stderr
    assert "就业促进法-2015-04-24.txt: parsed (law)\n  [jycjf-2015-04-24] 法律 《中华人民共和国就业促进法》 全国 现行有效 69 clauses" in out.stdout
    assert "recipe.txt: left out\n  warning: recipe.txt:1: not a policy document" in out.stdout
    listing = cli("documents", "--json")
    assert listing.returncode == 0, listing.stderr
    [doc] = json.loads(listing.stdout)
    assert doc["doc_id"] == "jycjf-2015-04-24" and doc["kind"] == "法律" and doc["status"] == "现行有效"
    assert doc["dates"]["修正"] == "2015-04-24" and doc["clauses"] == 69 and doc["region"] == "全国"
    plain = cli("documents")
    assert plain.returncode == 0 and plain.stdout.startswith("jycjf-2015-04-24\t法律\t《中华人民共和国就业促进法》")


def test_search_keeps_old_versions_for_staff_only(built_settings):
    question = "县级人民政府举办多种形式的职业教育，开展实用技术的培训"
    staff = json.loads(run(["search", question, "--top-k", "3", "--json", "--all-versions"], built_settings).stdout)
    assert staff["results"][0]["doc_id"] == "zyjyf-1996-05-15" and staff["results"][0]["doc_status"] == "已被修订"
    citizen = json.loads(run(["search", question, "--top-k", "3", "--json"], built_settings).stdout)
    assert all(r["doc_id"] != "zyjyf-1996-05-15" for r in citizen["results"])
    assert citizen["replaced"]["clause_id"] == "zyjyf-1996-05-15.a18" and citizen["replaced"]["replaced_by"] == "zyjyf-2022-04-20"
