"""Bad input of every kind → a SourceError naming the file (never a traceback), so a build can report and skip it."""

from __future__ import annotations

import random

import pytest

from knowledge import formats
from knowledge.errors import SourceError
from knowledge.sources import SOURCE_SUFFIXES, read_text

RECIPE = "红烧肉\n\n材料：五花肉500克，冰糖30克，生抽两勺。\n\n做法：五花肉切块焯水，小火炖一个小时，大火收汁。\n"


@pytest.mark.parametrize("suffix", SOURCE_SUFFIXES)
@pytest.mark.parametrize("content", [b"", b" \n\r\n\t \n"], ids=["empty", "whitespace"])
def test_empty_file_of_every_format_is_refused_by_name(tmp_path, suffix, content):
    file = tmp_path / f"empty{suffix}"
    file.write_bytes(content)
    with pytest.raises(SourceError, match=rf"empty\{suffix}: file is empty"):
        read_text(file)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@pytest.mark.parametrize("seed", range(3))
def test_binary_data_with_a_text_suffix_is_refused_by_name(tmp_path, suffix, seed):
    file = tmp_path / f"blob{suffix}"
    file.write_bytes(random.Random(seed).randbytes(4096))
    with pytest.raises(SourceError, match=rf"blob\{suffix}(:\d+)?: .*(binary data|neither UTF-8 nor GBK)"):
        read_text(file)


def test_high_bytes_that_are_no_chinese_text_are_refused(tmp_path):
    file = tmp_path / "noise.txt"
    file.write_bytes(bytes(random.Random(7).randrange(0x80, 0x100) for _ in range(4096)))
    with pytest.raises(SourceError, match=r"noise\.txt:\d+: neither UTF-8 nor GBK/GB18030"):
        read_text(file)


@pytest.mark.parametrize("suffix", SOURCE_SUFFIXES)
def test_50_mb_file_is_refused_before_reading_naming_the_setting(tmp_path, suffix):
    file = tmp_path / f"huge{suffix}"
    with open(file, "wb") as sparse:  # a sparse file: 50 MB on paper, nothing on disk
        sparse.truncate(50 * 2**20)
    with pytest.raises(SourceError, match=rf"huge\{suffix}: file is 50.0 MB, over the limit of 30 MB "
                                          r"\(setting KNOWLEDGE_MAX_SOURCE_MB\)"):
        read_text(file)


def test_size_limit_follows_the_setting(tmp_path, monkeypatch):
    file = tmp_path / "law.txt"
    file.write_text("第一条　" + "字" * 600_000, "utf-8")
    monkeypatch.setenv("KNOWLEDGE_MAX_SOURCE_MB", "1")
    with pytest.raises(SourceError, match="over the limit of 1 MB"):
        read_text(file)
    monkeypatch.setenv("KNOWLEDGE_MAX_SOURCE_MB", "2")
    assert read_text(file).startswith("第一条")


def test_unsupported_and_unreadable_files_are_refused_by_name(tmp_path):
    doc = tmp_path / "notice.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SourceError, match=r"notice\.doc: unsupported format \.doc: use one of \.txt, \.md"):
        read_text(doc)
    with pytest.raises(SourceError, match=r"gone\.pdf: cannot read"):
        read_text(tmp_path / "gone.pdf")


def test_a_library_failure_on_a_malformed_file_becomes_a_source_error(tmp_path, monkeypatch):
    def broken(data: bytes, source: str) -> str:
        raise IndexError("list index out of range")

    monkeypatch.setitem(formats.READERS, ".pdf", broken)
    file = tmp_path / "odd.pdf"
    file.write_bytes(b"%PDF-1.4")
    with pytest.raises(SourceError, match=r"odd\.pdf: cannot extract text \(IndexError: list index out of range\)"):
        read_text(file)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_text_that_is_no_policy_reaches_the_layout_stage(tmp_path, encoding):
    # placing (or refusing) a document that is no policy is the layout parser's decision
    file = tmp_path / "recipe.txt"
    file.write_bytes(RECIPE.encode(encoding))
    assert read_text(file) == RECIPE


def test_every_format_is_listed_as_a_source_suffix():
    assert set(SOURCE_SUFFIXES) == {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
