"""The law layout: titles, history lines, 目录, 编/章/节, 第X条, 款, 项, 附件, clause sizes and citations."""

import pytest

from knowledge import layouts
from knowledge.cite import citation
from knowledge.errors import UnplaceableSource
from knowledge.layouts import law, lawmeta, notice
from knowledge.layouts.common import cn_number, cn_numeral, region_of
from knowledge.segment import MAX_CLAUSE_CHARS
from tests.conftest import LAWS, OFFICIAL, SCRAPE


def parsed(name: str):
    path = LAWS / name
    return layouts.parse(path.read_text("utf-8"), path.name)


@pytest.fixture(scope="module")
def employment():
    return parsed("就业促进法-2015-04-24.txt")


def test_layout_is_chosen_from_the_text_never_the_name():
    assert layouts.choose(OFFICIAL.read_text("utf-8")) is notice
    assert layouts.choose((LAWS / "就业促进法-2015-04-24.txt").read_text("utf-8")) is law
    assert layouts.choose(SCRAPE.read_text("utf-8")) is None  # a copy, not a layout


def test_law_title_history_and_metadata(employment):
    [doc], clauses, warnings = employment
    assert doc.title == "中华人民共和国就业促进法" and doc.layout == "law" and doc.doc_number == ""
    assert doc.dates == {"通过": "2007-08-30", "修正": "2015-04-24", "施行": "2008-01-01"}  # 施行 from 第六十九条
    assert (doc.kind, doc.region, doc.issuer) == ("法律", "全国", "全国人民代表大会常务委员会")
    assert doc.doc_id == "jycjf-2015-04-24" and doc.version_date == "2015-04-24"
    assert warnings == []


def test_chapters_articles_and_paths(employment):
    [doc], clauses, _ = employment
    assert len(doc.parts) == 9 and doc.parts[2].title == "第三章\u3000公平就业"
    articles = {c.path[-1] for c in clauses}
    assert len(articles) == 69  # every 第X条 of the text, none lost, none invented
    a27 = next(c for c in clauses if c.clause_id == "jycjf-2015-04-24.a27")
    assert a27.path == ["第三章\u3000公平就业", "第二十七条"] and a27.line == 99
    assert a27.text.startswith("国家保障妇女享有与男子平等的劳动权利。\n用人单位招用人员")
    assert citation(a27, doc.title) == "《中华人民共和国就业促进法》第二十七条"


def test_long_articles_are_cited_by_paragraph_and_item_lists_keep_their_lead_in():
    [doc], clauses, _ = parsed("广东省失业保险条例-2022-06-01.txt")
    assert all(len(c.text) <= MAX_CLAUSE_CHARS for c in clauses)
    split = [c for c in clauses if c.paragraph]
    assert split and all(c.clause_id.split(".")[-1].startswith("k") or c.clause_id.split(".")[-2].startswith("k") for c in split)
    k3 = next(c for c in clauses if c.clause_id == "gdssybxtl-2022-06-01.a36.k3")
    assert citation(k3, doc.title) == "《广东省失业保险条例》第三十六条第三款"
    a15 = next(c for c in clauses if c.clause_id == "gdssybxtl-2022-06-01.a15")
    assert a15.text.startswith("失业人员同时符合下列条件的") and "（三）已经办理失业登记" in a15.text


def test_history_lines_of_every_shape():
    gd = lawmeta.document("广东省失业保险条例", (LAWS / "广东省失业保险条例-2022-06-01.txt").read_text("utf-8").splitlines()[2], "x")
    assert gd.dates == {"通过": "2002-07-25", "修订": "2013-11-21", "修正": "2022-06-01"}
    assert (gd.kind, gd.region, gd.issuer) == ("地方性法规", "广东省", "广东省人民代表大会常务委员会")
    reg = lawmeta.document("专利代理条例", "（1991年3月4日中华人民共和国国务院令第76号发布　2018年9月6日国务院第23次常务会议修订通过"
                                          "　2018年11月6日中华人民共和国国务院令第706号公布　2019年3月1日施行）", "x")
    assert reg.dates == {"发布": "1991-03-04", "修订": "2018-09-06", "公布": "2018-11-06", "施行": "2019-03-01"}
    assert (reg.kind, reg.issuer, reg.doc_number) == ("行政法规", "国务院", "国务院令第706号")
    same_day = lawmeta.document("国务院关于口岸开放的若干规定", "（1985年9月18日国务院发布　发布之日施行）", "x")
    assert same_day.dates == {"发布": "1985-09-18", "施行": "1985-09-18"}


SYNTHETIC = """某某市养犬管理条例

（2020年1月2日某某市第十五届人民代表大会常务委员会第三次会议通过）

目　　录

第一编　总则
第一章　一般规定
第二章　登记
第二编　附则

第一编　总则

第一章　一般规定

第一条　为了规范养犬行为，制定本条例。

第二条　本条例适用于本市行政区域内的养犬管理。养犬人应当遵守下列规定：
（一）携犬出户时，束犬链；
（二）及时清除犬只粪便。

第二条之一　重点管理区内禁止饲养烈性犬。

第二章　登记

第一节　申请

第三条　个人养犬的，应当向居住地公安机关申请登记。申请登记应当提交
下列材料，并如实填写登记表：
（一）身份证明；
（二）犬只免疫证明。

第五条　本条例自2020年5月1日起施行。

附件：烈性犬名录

藏獒、比特犬。
"""


def test_toc_books_sections_items_annex_and_wrapped_lines():
    [doc], clauses, warnings = layouts.parse(SYNTHETIC, "dog.txt")
    by_id = {c.clause_id.split(".", 1)[1]: c for c in clauses}
    assert (doc.kind, doc.region, doc.issuer) == ("地方性法规", "某某市", "某某市人民代表大会常务委员会")
    assert [p.title for p in doc.parts] == ["第一章\u3000一般规定", "第二章\u3000登记"]  # the 目录 is not text
    assert by_id["a2"].path == ["第一编\u3000总则", "第一章\u3000一般规定", "第二条"]
    assert by_id["a2"].text.endswith("（二）及时清除犬只粪便。") and "养犬人应当遵守下列规定：\n（一）" in by_id["a2"].text
    assert by_id["a2-1"].path[-1] == "第二条之一"
    assert by_id["a3"].path == ["第一编\u3000总则", "第二章\u3000登记", "第一节\u3000申请", "第三条"]
    assert "应当提交下列材料" in by_id["a3"].text  # the hard-wrapped line is rejoined
    assert by_id["annex1.s1"].path == ["附件：烈性犬名录"] and by_id["annex1.s1"].text == "藏獒、比特犬。"
    assert warnings == ["line 33: 第五条 where 第四条 was expected"]


def test_regulation_without_articles_is_cut_into_sentences_under_its_headings():
    text = "关于实行专业技术职务聘任制度的规定\n\n（1986年2月18日国务院发布）\n\n一、基本内容\n\n专业技术职务应当根据实际工作需要设置。聘任期限一般不超过五年。\n"
    [doc], clauses, warnings = layouts.parse(text, "old.txt")
    assert [c.text for c in clauses] == ["专业技术职务应当根据实际工作需要设置。", "聘任期限一般不超过五年。"]
    assert clauses[0].path == ["一、基本内容"] and doc.kind == "行政法规" and not warnings


def test_recipe_and_empty_page_cannot_be_placed():
    recipe = "红烧肉的做法\n\n一、准备材料：五花肉500克，冰糖30克。\n\n二、步骤：焯水后小火炖一小时。\n"
    with pytest.raises(UnplaceableSource, match="recipe.txt:1: not a policy document"):
        layouts.parse(recipe, "recipe.txt")
    with pytest.raises(UnplaceableSource, match="page.txt:1: .*no article body"):
        layouts.parse("中华人民共和国就业促进法\n\n（2007年8月30日第十届全国人民代表大会常务委员会第二十九次会议通过）\n", "page.txt")


def test_numerals_and_regions():
    assert [cn_number(n) for n in ("一百零五", "一百二十", "二十三", "十", "〇")] == [105, 120, 23, 10, 0]
    assert all(cn_number(cn_numeral(n)) == n for n in range(1, 1000))
    assert [cn_numeral(n) for n in (10, 27, 105, 110)] == ["十", "二十七", "一百零五", "一百一十"]
    assert region_of("广东省失业保险条例") == "广东省" and region_of("国务院关于", "国务院") == "全国"
    assert region_of("广东省广州市就业条例") == "广州市" and region_of("广东省人民政府转发") == "广东省"
