"""The clause tree of the official notice: documents, parts, items, departments, page breaks."""

import pytest

from knowledge.errors import SourceError
from knowledge.layouts.common import cn_number
from knowledge.layouts.notice import doc_slug, parse_official
from knowledge.segment import MAX_CLAUSE_CHARS
from tests.conftest import OFFICIAL


@pytest.fixture(scope="module")
def parsed():
    return parse_official(OFFICIAL.read_text("utf-8"), OFFICIAL.name)


def test_two_documents_with_metadata(parsed):
    docs, _ = parsed
    yf, gf = docs
    assert (yf.doc_number, gf.doc_number) == ("粤府〔2017〕101号", "国发〔2017〕28号")
    assert yf.title == "广东省人民政府转发国务院关于做好当前和今后一段时期就业创业工作意见的通知"
    assert gf.title == "国务院关于做好当前和今后一段时期就业创业工作的意见"  # line-wrap space removed
    assert (yf.issuer, gf.issuer) == ("广东省人民政府", "国务院")
    assert yf.dates == {"印发": "2017-09-30"} and gf.dates == {"成文": "2017-04-13"}
    assert gf.addressee.startswith("各省、自治区、直辖市人民政府")


def test_part_and_item_counts(parsed):
    yf, gf = parsed[0]
    assert [p.title[0] for p in yf.parts] == list("一二三四五六七八")
    assert all(not p.items for p in yf.parts)
    assert len(gf.parts) == 6
    assert [len(p.items) for p in gf.parts] == [4, 2, 4, 5, 4, 4]
    items = [i.title for p in gf.parts for i in p.items]
    assert len(items) == 23 and items[0] == "（一）促进经济增长与扩大就业联动" and items[-1] == "（二十三）防范化解失业风险"


def test_departments_are_metadata_not_text(parsed):
    yf, gf = parsed[0]
    _, clauses = parsed
    assert yf.parts[2].departments == ["省人力资源社会保障厅", "教育厅", "财政厅", "团省委"]
    assert "工商局" in yf.parts[1].departments  # 「工\n\n商局」 rejoined inside the parenthesis
    assert yf.parts[7].departments == []  # part 八 names no department
    item15 = gf.parts[3].items[4]
    assert item15.departments == ["人力资源社会保障部", "民政部"]  # parenthesis on its own paragraph
    assert not any("负责）" in c.text or "社会保障厅、" in c.text for c in clauses)
    c = next(c for c in clauses if c.clause_id.startswith("gf2017-28.p1.i1."))
    assert c.lead_department == "国家发展改革委" and c.departments[0] == "国家发展改革委"


def test_page_breaks_rejoined_with_source_lines(parsed):
    _, clauses = parsed
    by_text = {c.text: c for c in clauses}
    assert any("开展贫困家庭学生入读技校专项帮扶" in t for t in by_text)
    hit = next(c for c in clauses if "作为区间调控的下限" in c.text)
    assert hit.line == 65 and hit.path[-1] == "（一）促进经济增长与扩大就业联动"
    assert not any("\n" in c.text for c in clauses)


def test_clauses_are_clause_sized_and_unique(parsed):
    _, clauses = parsed
    assert all(0 < len(c.text) <= MAX_CLAUSE_CHARS for c in clauses)
    assert len({c.clause_id for c in clauses}) == len(clauses)
    assert len({c.text for c in clauses}) == len(clauses)


def test_preamble_and_closing_kept_colophon_dropped(parsed):
    _, clauses = parsed
    paths = {tuple(c.path) for c in clauses}
    assert ("导语",) in paths and ("结语",) in paths
    assert not any(c.text.startswith(("抄送", "公开方式", "中华人民共和国国务院")) for c in clauses)


def test_helpers():
    assert cn_number("二十三") == 23 and cn_number("十") == 10 and cn_number("八") == 8
    assert doc_slug("国发〔2017〕28号") == "gf2017-28"


def test_unstructured_text_is_rejected_with_file_name():
    with pytest.raises(SourceError, match="policy.md.*文号"):
        parse_official("只有一段话，没有文号。", "policy.md")


def test_unknown_heading_names_the_line():
    text = "# 某某文件\n\n粤府〔2020〕1号\n\n## 关于某事的通知\n\n### 附件说明\n\n正文。\n"
    with pytest.raises(SourceError) as err:
        parse_official(text, "bad.md")
    assert err.value.line == 7 and "bad.md:7" in str(err.value)
