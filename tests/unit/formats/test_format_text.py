"""Plain text: encodings detected, shipped sources untouched, hard-wrapped copies rejoined."""

from __future__ import annotations

import codecs

import pytest

from knowledge import formats
from knowledge.errors import SourceError
from knowledge.formats import text
from tests.conftest import SOURCES
from tests.unit.formats.make_files import LAWS, articles, hard_wrapped, law, paragraphs

LAW_FILES = sorted(LAWS.glob("*.txt"))


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_gbk_gb18030_and_bom_decode_to_the_same_text(tmp_path, path, encoding):
    original = path.read_text("utf-8")
    copy = tmp_path / path.name
    copy.write_bytes(original.encode(encoding))
    assert formats.read(copy) == original


def test_gb18030_only_characters_and_crlf(tmp_path):
    line = "第一条　王堃、李祎申领失业保险金。𠀀\r\n"  # 堃 is GBK, not GB2312; 𠀀 needs GB18030's four-byte form
    path = tmp_path / "a.txt"
    path.write_bytes((line * 3).encode("gb18030"))
    assert formats.read(path) == line.replace("\r\n", "\n") * 3


@pytest.mark.parametrize("path", [*sorted(p for p in SOURCES.iterdir() if p.suffix in (".md", ".txt")), *LAW_FILES], ids=lambda p: p.name)
def test_shipped_sources_are_returned_unchanged(path):
    assert formats.read(path) == path.read_text("utf-8-sig")


def _rejoined(path, width: int, blank: bool, indent: bool) -> tuple[str, str]:
    """A law → (its text, its hard-wrapped copy with page numbers and a running title read back)."""
    original = path.read_text("utf-8")
    title = original.splitlines()[0]
    wrapped = hard_wrapped(original, width, blank=blank, indent=indent, page_lines=40, header=title)
    assert "— 2 —" in wrapped and wrapped.count(title) > 2
    assert text.wrap_width(wrapped.splitlines()) == width
    out = text.extract(wrapped.encode("gbk"), path.name)
    assert "— 2 —" not in out and paragraphs(out).count(title) == 1
    return original, out


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize(("width", "blank"), [(60, False), (80, True)])
def test_indented_hard_wrapped_copy_with_page_furniture_is_rejoined(path, width, blank):
    original, out = _rejoined(path, width, blank, indent=True)
    assert paragraphs(out) == paragraphs(original)


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize(("width", "blank"), [(66, False), (72, True)])
def test_flush_left_hard_wrapped_copy_keeps_every_article(path, width, blank):
    # Without a first-line indent, a full line ending in 「。」 before a page break or (without blank
    # lines) anywhere may end a 款 or just a sentence: only whole articles are certain.
    original, out = _rejoined(path, width, blank, indent=False)
    assert articles(out) == articles(original) and len(articles(out)) > 20
    assert paragraphs(out)[:2] == paragraphs(original)[:2]  # title and history line


def test_article_reference_wrapped_to_a_line_start_is_no_heading():
    extra = "第三十一条　" + "甲" * 20 + "依照本法第二十七条规定的条件，由县级人民政府劳动保障行政部门责令改正。"
    original = law("残疾人就业条例") + "\n" + extra + "\n"
    wrapped = hard_wrapped(original, 60, blank=True, indent=False)
    assert "\n第二十七条规定的条件" in wrapped
    out = text.extract(wrapped.encode(), "refs.txt")
    assert paragraphs(out)[-1] == extra.replace("　", "")


def test_undecodable_text_names_file_and_line(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("第一行\n第二行\n".encode() + "第三行".encode("gbk") + b"\xff\xfe\n")
    with pytest.raises(SourceError) as err:
        formats.read(path)
    assert err.value.path == str(path) and err.value.line == 3 and "UTF-8" in str(err.value)


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + law("残疾人就业条例").encode("utf-16-le"))
    assert formats.read(path) == law("残疾人就业条例")
