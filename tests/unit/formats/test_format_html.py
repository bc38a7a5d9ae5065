"""Saved government pages: the article body with its title, in the declared or detected charset; no navigation."""

from __future__ import annotations

import pytest

from knowledge import formats
from knowledge.errors import SourceError
from knowledge.formats import html as html_format
from tests.unit.formats.make_files import LAWS, html_page, law, paragraphs

LAW_FILES = sorted(LAWS.glob("*.txt"))
FURNITURE = ["首页", "当前位置", "发布日期", "分享到", "打印本页", "相关链接", "网站标识码", "ICP备", "版权所有", "转发国务院",
             "政策解读"]


@pytest.mark.parametrize("markup", ["p", "br", "table"])
@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_gbk_page_gives_the_article_without_navigation(tmp_path, path, markup):
    original = path.read_text("utf-8")
    file = tmp_path / f"{path.stem}.htm"
    file.write_bytes(html_page(original, charset="gb2312", markup=markup))
    out = formats.read(file)
    assert paragraphs(out) == paragraphs(original)
    assert [word for word in FURNITURE if word in out] == []


def test_data_table_in_the_article_is_kept_row_by_row():
    table = [["缴费时间", "领取期限"], ["满1年不满5年", "最长12个月"], ["满5年不满10年", "最长18个月"]]
    out = html_format.extract(html_page(law("失业保险条例"), table=table), "t.html")
    assert [line for line in out.splitlines() if "|" in line] == [" | ".join(row) for row in table]


def test_utf8_page_and_page_declaring_the_wrong_charset():
    original = law("残疾人就业条例")
    assert paragraphs(html_format.extract(html_page(original, charset="utf-8"), "u.html")) == paragraphs(original)
    mislabelled = html_page(original, charset="gb2312").replace(b"charset=gb2312", b"charset=utf-8")
    assert paragraphs(html_format.extract(mislabelled, "m.html")) == paragraphs(original)


def test_title_outside_the_article_comes_from_the_page_title():
    original = law("残疾人就业条例")
    page = html_page(original).replace('<h1 class="title">残疾人就业条例</h1>'.encode("gb18030"), b"")
    assert paragraphs(html_format.extract(page, "t.html")) == paragraphs(original)


def test_page_with_no_article_body_is_refused_by_name(tmp_path):
    file = tmp_path / "index.html"
    file.write_bytes(html_page("政策法规\n"))
    with pytest.raises(SourceError, match=r"index\.html: page has no article body"):
        formats.read(file)
