"""The library as a whole: versions, copies of laws, sidecars, files that cannot be placed, the build report."""

import textwrap

import pytest

from knowledge.__main__ import build_report
from knowledge.errors import SourceError
from knowledge.sources import load_corpus
from knowledge.types import AMENDED, IN_FORCE
from tests.conftest import LAWS, OFFICIAL, SOURCES, copy_sources

EMPLOYMENT = LAWS / "就业促进法-2015-04-24.txt"
RECIPE = "红烧肉的做法\n\n一、准备材料：五花肉500克，冰糖30克。\n\n二、步骤：焯水后小火炖一小时。\n"


@pytest.fixture(scope="module")
def library():
    return load_corpus(SOURCES)


def test_shipped_library_has_every_document_once(library):
    ids = [d.doc_id for d in library.documents]
    assert len(ids) == len(set(ids)) == 10
    assert {f.role for f in library.files} == {"parsed", "copy"} and not library.left_out
    assert len({c.clause_id for c in library.clauses}) == len(library.clauses)
    assert all(c.doc_id in ids for c in library.clauses)


def test_the_later_version_supersedes_the_earlier(library):
    docs = {d.doc_id: d for d in library.documents}
    old, new = docs["zyjyf-1996-05-15"], docs["zyjyf-2022-04-20"]
    assert (old.status, old.superseded_by) == (AMENDED, "zyjyf-2022-04-20")
    assert (new.status, new.superseded_by) == (IN_FORCE, "")
    assert any(c.doc_id == old.doc_id for c in library.clauses)  # still there for staff


def test_sidecar_completes_what_the_text_cannot_tell(library):
    veterans = next(d for d in library.documents if d.title == "退役军人安置条例")
    assert veterans.history == "" and veterans.dates == {"公布": "2024-07-29", "施行": "2024-09-01"}
    assert veterans.doc_id == "tyjraztl-2024-07-29" and veterans.issuer == "国务院、中央军事委员会"
    assert all(c.clause_id.startswith("tyjraztl-2024-07-29.") for c in library.clauses if c.doc_id == veterans.doc_id)


@pytest.mark.parametrize("body, where", [
    ("kind: 行政法规\nstatus: 有效\n", r"\.meta\.yaml:2: key 'status'"),
    ("kind: 行政法规\nissued_by: 国务院\n", r"\.meta\.yaml:2: key 'issued_by': Extra inputs"),
    ("dates:\n  公布: 2024-13-45\n", r"\.meta\.yaml:2: key 'dates\.公布'"),
    ("dates: [1, 2\n", r"\.meta\.yaml:\d+: not valid YAML"),
])
def test_bad_sidecar_names_file_line_and_key(tmp_path, body, where):
    folder = copy_sources(tmp_path, EMPLOYMENT)
    (folder / (EMPLOYMENT.stem + ".meta.yaml")).write_text(body, "utf-8")
    with pytest.raises(SourceError, match=where):
        load_corpus(folder)


def test_sidecar_status_wins_over_version_order(tmp_path):
    folder = copy_sources(tmp_path, LAWS / "职业教育法-1996-05-15.txt", LAWS / "职业教育法-2022-04-20.txt")
    (folder / "职业教育法-2022-04-20.meta.yaml").write_text("status: 已废止\n", "utf-8")
    docs = {d.doc_id: d for d in load_corpus(folder).documents}
    assert docs["zyjyf-2022-04-20"].status == "已废止" and docs["zyjyf-1996-05-15"].superseded_by == "zyjyf-2022-04-20"


def test_rewrapped_copy_with_a_changed_word_is_indexed_once(tmp_path):
    folder = copy_sources(tmp_path, EMPLOYMENT)
    alone = load_corpus(folder)
    text = EMPLOYMENT.read_text("utf-8").replace("不得以性别为由拒绝录用妇女", "不得以性别为理由拒绝录用妇女")
    wrapped = "\n".join("\n".join(textwrap.wrap(line, 30)) if line.strip() else "" for line in text.splitlines())
    (folder / "就业促进法-转载.txt").write_text(wrapped, "utf-8")
    both = load_corpus(folder)
    assert [c.text for c in both.clauses] == [c.text for c in alone.clauses] and len(both.documents) == 1
    report = next(f for f in both.files if f.source == "就业促进法-转载.txt")
    assert report.role == "copy" and report.doc_ids == ["jycjf-2015-04-24"]
    assert both.documents[0].copies == ["就业促进法-转载.txt"]
    a27 = next(c for c in both.clauses if c.clause_id == "jycjf-2015-04-24.a27")
    assert any(n.kind == "wording" and "为理由" in n.variant and n.source == "就业促进法-转载.txt" for n in a27.notes)
    assert sum(bool(c.notes) for c in both.clauses) == 1


def test_files_that_cannot_be_placed_are_reported_and_left_out(tmp_path):
    folder = copy_sources(tmp_path, OFFICIAL, EMPLOYMENT)
    (folder / "recipe.txt").write_text(RECIPE, "utf-8")
    (folder / "empty-page.txt").write_text("中华人民共和国社会保险法\n\n（2010年10月28日第十一届全国人民代表大会常务委员会第十七次会议通过）\n", "utf-8")
    corpus = load_corpus(folder)
    assert {d.doc_id for d in corpus.documents} == {"yf2017-101", "gf2017-28", "jycjf-2015-04-24"}
    out = {f.source: f.warnings[0] for f in corpus.left_out}
    assert set(out) == {"recipe.txt", "empty-page.txt"}
    assert out["recipe.txt"].startswith("recipe.txt:1: not a policy document")
    assert out["empty-page.txt"].startswith("empty-page.txt:1: 「中华人民共和国社会保险法」 has no article body")
    with pytest.raises(SourceError, match="empty-page.txt:1: .*no article body"):
        load_corpus(folder, strict=True)


def test_build_report_names_kind_title_region_status_clauses_and_warnings(tmp_path, library):
    text = build_report(library)
    assert "就业促进法-2015-04-24.txt: parsed (law)" in text
    assert "[jycjf-2015-04-24] 法律 《中华人民共和国就业促进法》 全国 现行有效 69 clauses" in text
    assert "[zyjyf-1996-05-15] 法律 《中华人民共和国职业教育法》 全国 已被修订（现行版本 zyjyf-2022-04-20）" in text
    assert "[gdssybxtl-2022-06-01] 地方性法规 《广东省失业保险条例》 广东省 现行有效" in text
    assert "yuefu-2017-101-web-scrape.txt: copy — copy of yf2017-101" in text
    folder = copy_sources(tmp_path, EMPLOYMENT)
    (folder / "recipe.txt").write_text(RECIPE, "utf-8")
    assert "recipe.txt: left out\n  warning: recipe.txt:1: not a policy document" in build_report(load_corpus(folder))
