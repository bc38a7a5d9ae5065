"""Repeals stated in another document's text: 「……《A》和《B》同时废止」 → A and B 已废止, pointing to the repealer."""

import pytest

from knowledge.__main__ import build_report
from knowledge.cite import replaced_notice, validity
from knowledge.repeals import repealed_titles, stated_in_force
from knowledge.sources import load_corpus
from knowledge.types import AMENDED, IN_FORCE, REPEALED
from knowledge.versions import in_force_successor


def law(title: str, published: str, *articles: str) -> str:
    """A small regulation in the database's plain-text layout: title, history line, articles."""
    y, m, d = (int(x) for x in published.split("-")) if published else (0, 0, 0)
    history = f"（{y}年{m}月{d}日中华人民共和国国务院令第1号公布）\n\n" if published else ""
    body = "\n\n".join(f"第{n}条　{text}" for n, text in zip("一二三四五六七八九", articles))
    return f"{title}\n\n{history}{body}\n"


def library(tmp_path, **files: str):
    """File name → text, written to a sources folder → its Corpus and its documents by title and version date."""
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    corpus = load_corpus(folder)
    return corpus, {f"{d.title}@{d.version_date}": d for d in corpus.documents}


RULE = "从事经营活动的单位，应当依法办理登记。"


@pytest.mark.parametrize("text, titles", [
    ("本条例自2024年9月1日起施行。《退役士兵安置条例》同时废止。", ["退役士兵安置条例"]),
    ("本条例自2011年11月1日起施行。\n1987年12月12日国务院发布的《退伍义务兵安置条例》，1999年12月13日国务院、中央军委下发的"
     "《中国人民解放军士官退出现役安置暂行办法》同时废止。", ["退伍义务兵安置条例", "中国人民解放军士官退出现役安置暂行办法"]),
    ("本条例自发布之日起施行，1982年7月7日国务院发布的《甲条例》和《乙办法》同时废止。", ["甲条例", "乙办法"]),
    ("本条例自发布之日起施行。一九八四年九月十日国务院、中央军委发布的《国防计量工作管理条例》即行废止。", ["国防计量工作管理条例"]),
    ("《甲条例》自本法施行之日起废止。", ["甲条例"]),
    ("本条例自2002年1月1日起施行。1997年3月25日国务院发布的《反倾销和反补贴条例》中关于反倾销的规定同时废止。", []),
    ("本条例自发布之日起施行，1954年政务院公布的《劳动改造条例》中有关看守所的规定即行废止。", []),
    ("依照《国务院关于废止和修改部分行政法规的决定》修改本条例。", []),  # 废止 inside a title is no repeal
    ("违反《甲条例》规定的，由登记机关责令改正。", []),
    ("本条例自2024年9月1日起施行。《甲条例》同时废止，《乙办法》继续有效。", ["甲条例"]),  # only the titles before 废止
])
def test_titles_repealed_in_one_sentence(text, titles):
    assert repealed_titles(text) == titles


def test_date_the_clause_says_the_document_took_effect():
    assert stated_in_force("本条例自2024年9月1日起施行。") == "2024-09-01"
    assert stated_in_force("本办法自一九九三年三月一日起施行。") == "1993-03-01"
    assert stated_in_force("本规定自一九五七年六月十一日起实行。") == "1957-06-11"
    assert stated_in_force("本条例自发布之日起施行。") == ""


def test_several_titles_with_and_without_the_state_prefix_are_repealed(tmp_path):
    corpus, docs = library(
        tmp_path,
        **{"a.txt": law("甲登记条例", "1990-05-01", RULE),
           "b.txt": law("中华人民共和国乙登记办法", "1995-03-02", RULE),
           "c.txt": law("丙登记条例", "1996-04-04", RULE),
           "new.txt": law("中华人民共和国市场主体登记条例", "2021-07-27", RULE,
                          "本条例自2022年3月1日起施行。1990年5月1日国务院发布的《中华人民共和国甲登记条例》、《乙登记办法》"
                          "和《丁登记规定》同时废止。《丙登记条例》中关于个体户的规定同时废止。")})
    new = docs["中华人民共和国市场主体登记条例@2021-07-27"]
    for key in ("甲登记条例@1990-05-01", "中华人民共和国乙登记办法@1995-03-02"):
        assert (docs[key].status, docs[key].superseded_by) == (REPEALED, new.doc_id)
    assert docs["丙登记条例@1996-04-04"].status == IN_FORCE  # only part of it was repealed
    assert new.status == IN_FORCE and len(corpus.repeals) == 2  # 丁 is not in the library: ignored, no warning
    assert {r.clause_id for r in corpus.repeals} == {f"{new.doc_id}.a2"} and not any(f.warnings for f in corpus.files)
    report = build_report(corpus)
    assert f"已废止（由 {new.doc_id} 《中华人民共和国市场主体登记条例》第二条废止）" in report
    assert f"  repeals [{docs['甲登记条例@1990-05-01'].doc_id}] 《甲登记条例》 (《中华人民共和国市场主体登记条例》第二条)" in report


def test_nothing_named_nothing_repealed(tmp_path):
    corpus, docs = library(tmp_path, **{
        "a.txt": law("甲登记条例", "1990-05-01", RULE),
        "b.txt": law("乙登记条例", "2020-05-01", "违反《甲登记条例》规定的，由登记机关责令改正。", "本条例自2020年6月1日起施行。")})
    assert all(d.status == IN_FORCE for d in docs.values()) and corpus.repeals == []


def test_sidecar_status_wins(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.meta.yaml").write_text("status: 现行有效\n", "utf-8")
    corpus, docs = library(tmp_path, **{
        "a.txt": law("甲登记条例", "1990-05-01", RULE),
        "b.txt": law("乙登记条例", "2020-05-01", RULE, "本条例自2020年6月1日起施行。《甲登记条例》同时废止。")})
    assert docs["甲登记条例@1990-05-01"].status == IN_FORCE and corpus.repeals == []


def test_a_document_never_repeals_itself(tmp_path):
    """The database's text of an amended regulation keeps its first closing article, naming its own title."""
    corpus, docs = library(tmp_path, **{"a.txt": law(
        "信访条例", "2005-01-10", RULE, "本条例自2005年5月1日起施行。1995年10月28日国务院发布的《信访条例》同时废止。")})
    assert docs["信访条例@2005-01-10"].status == IN_FORCE and corpus.repeals == [] and not corpus.files[0].warnings


def test_a_new_regulation_repeals_the_old_one_of_the_same_title(tmp_path):
    corpus, docs = library(tmp_path, **{
        "old.txt": law("信访条例", "1995-10-28", RULE),
        "new.txt": law("信访条例", "2005-01-10", RULE, "本条例自2005年5月1日起施行。1995年10月28日国务院发布的《信访条例》同时废止。")})
    old, new = docs["信访条例@1995-10-28"], docs["信访条例@2005-01-10"]
    assert (old.status, old.superseded_by, new.status) == (REPEALED, new.doc_id, IN_FORCE)


def test_an_amended_texts_old_closing_article_does_not_repeal_a_later_version(tmp_path):
    """专利法实施细则 2023 still says 「本细则自2001年7月1日起施行。……《专利法实施细则》同时废止」: the 2010 version
    stays 已被修订 by the 2023 one, not repealed."""
    closing = "本细则自2001年7月1日起施行。1992年12月21日中国专利局发布的《中华人民共和国专利法实施细则》同时废止。"
    corpus, docs = library(tmp_path, **{
        "a.txt": law("中华人民共和国专利法实施细则", "2010-01-09", RULE, closing),
        "b.txt": law("中华人民共和国专利法实施细则", "2023-12-11", RULE, closing)})
    old, new = docs["中华人民共和国专利法实施细则@2010-01-09"], docs["中华人民共和国专利法实施细则@2023-12-11"]
    assert (old.status, old.superseded_by) == (AMENDED, new.doc_id) and corpus.repeals == []


def test_the_version_in_force_at_the_repeal_is_repealed_and_older_ones_lead_to_the_repealer(tmp_path):
    corpus, docs = library(tmp_path, **{
        "a1.txt": law("甲登记条例", "1990-05-01", RULE),
        "a2.txt": law("甲登记条例", "2000-05-01", RULE),
        "b.txt": law("乙登记条例", "2020-05-01", RULE, "本条例自2020年6月1日起施行。《甲登记条例》同时废止。")})
    first, second, repealer = docs["甲登记条例@1990-05-01"], docs["甲登记条例@2000-05-01"], docs["乙登记条例@2020-05-01"]
    assert (second.status, second.superseded_by) == (REPEALED, repealer.doc_id)
    assert (first.status, first.superseded_by) == (AMENDED, second.doc_id)
    assert in_force_successor(first.doc_id, corpus.documents) is repealer
    by_id = {d.doc_id: d for d in corpus.documents}
    assert validity(first, by_id) == "，已被修订，现行有效的是《乙登记条例》2020年5月1日公布版"
    assert validity(second, by_id) == "，已被《乙登记条例》废止"


def test_a_title_re_enacted_after_the_repeal_is_left_alone(tmp_path):
    corpus, docs = library(tmp_path, **{
        "a.txt": law("甲登记条例", "2023-05-01", RULE),
        "b.txt": law("乙登记条例", "2020-05-01", RULE, "本条例自2020年6月1日起施行。《甲登记条例》同时废止。")})
    assert docs["甲登记条例@2023-05-01"].status == IN_FORCE and corpus.repeals == []


def test_a_cycle_of_repeals_does_not_loop_and_leaves_one_in_force(tmp_path):
    """Undated texts naming each other: the first repeal found holds, the second would close a loop (warned)."""
    corpus, docs = library(tmp_path, **{
        "a.txt": law("甲登记条例", "", RULE, "本条例自发布之日起施行。《乙登记条例》同时废止。"),
        "b.txt": law("乙登记条例", "", RULE, "本条例自发布之日起施行。《甲登记条例》同时废止。")})
    a, b = docs["甲登记条例@"], docs["乙登记条例@"]
    assert (b.status, b.superseded_by, a.status) == (REPEALED, a.doc_id, IN_FORCE)
    assert in_force_successor(b.doc_id, corpus.documents) is a
    warned = next(f for f in corpus.files if f.source == "b.txt").warnings
    assert len(warned) == 1 and "repeal of 「甲登记条例」 left out" in warned[0]


def test_a_repealed_documents_own_repeals_still_hold(tmp_path):
    """丙 (2020) repeals 乙 (2000), which had repealed 甲 (1990): 甲 stays repealed by 乙 and leads to 丙."""
    corpus, docs = library(tmp_path, **{
        "a.txt": law("甲登记条例", "1990-05-01", RULE),
        "b.txt": law("乙登记条例", "2000-05-01", RULE, "本条例自2000年6月1日起施行。《甲登记条例》同时废止。"),
        "c.txt": law("丙登记条例", "2020-05-01", RULE, "本条例自2020年6月1日起施行。《乙登记条例》同时废止。")})
    a, b, c = docs["甲登记条例@1990-05-01"], docs["乙登记条例@2000-05-01"], docs["丙登记条例@2020-05-01"]
    assert (a.superseded_by, b.superseded_by) == (b.doc_id, c.doc_id) and a.status == b.status == REPEALED
    assert in_force_successor(a.doc_id, corpus.documents) is c


def test_citizens_are_told_a_repealed_document_was_repealed_not_amended(tmp_path):
    corpus, docs = library(tmp_path, **{
        "a.txt": law("退役士兵安置条例", "2011-10-29", RULE),
        "b.txt": law("退役军人安置条例", "2024-07-29", RULE, "本条例自2024年9月1日起施行。《退役士兵安置条例》同时废止。")})
    old, new = docs["退役士兵安置条例@2011-10-29"], docs["退役军人安置条例@2024-07-29"]
    by_id = {d.doc_id: d for d in corpus.documents}
    assert validity(old, by_id) == "，已被《退役军人安置条例》废止"
    notice = replaced_notice(old, new, new)
    assert notice == "提示：与您的问题最接近的规定出自《退役士兵安置条例》，该文件已被《退役军人安置条例》废止，以下依据现行有效的《退役军人安置条例》答复。"
    assert "修订" not in notice and "修订" not in validity(old, by_id)


def test_build_and_documents_commands_show_the_repeal(tmp_path, monkeypatch, capsys):
    """`python -m knowledge build` and `documents` (in-process, the fake embedder) name the repeal and by what."""
    import json

    from knowledge import __main__ as cli, embed
    from tests.doubles import FakeEmbedder

    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.txt").write_text(law("退役士兵安置条例", "2011-10-29", RULE), "utf-8")
    (folder / "b.txt").write_text(law("退役军人安置条例", "2024-07-29", RULE, "本条例自2024年9月1日起施行。《退役士兵安置条例》同时废止。"), "utf-8")
    monkeypatch.setenv("KNOWLEDGE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("KNOWLEDGE_SOURCES_DIR", str(folder))
    monkeypatch.setattr(embed, "Embedder", lambda path=None: FakeEmbedder())
    assert cli.main(["build"]) == 0
    built = capsys.readouterr().out
    old, new = "tysbaztl-2011-10-29", "tyjraztl-2024-07-29"
    assert f"[{old}] 行政法规 《退役士兵安置条例》 全国 已废止（由 {new} 《退役军人安置条例》第二条废止） 1 clauses" in built
    assert f"  repeals [{old}] 《退役士兵安置条例》 (《退役军人安置条例》第二条)" in built
    assert cli.main(["documents"]) == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in capsys.readouterr().out.splitlines()}
    assert rows[old][4] == f"已废止（由 {new} 废止）" and rows[new][4] == "现行有效"
    assert cli.main(["documents", "--json"]) == 0
    listed = {d["doc_id"]: d for d in json.loads(capsys.readouterr().out)}
    assert (listed[old]["status"], listed[old]["superseded_by"]) == ("已废止", new)
