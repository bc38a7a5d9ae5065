"""Word documents: paragraphs and tables in order; image-only, broken and zip-bomb files refused."""

from __future__ import annotations

import io
import random

import pytest

from knowledge import formats
from knowledge.errors import SourceError
from knowledge.formats import docx as docx_format
from tests.unit.formats.make_files import LAWS, docx_file, docx_of_images, law, paragraphs, zip_package

LAW_FILES = sorted(LAWS.glob("*.txt"))


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_docx_gives_the_plain_text_paragraphs_without_page_header(tmp_path, path):
    original = path.read_text("utf-8")
    file = tmp_path / f"{path.stem}.docx"
    file.write_bytes(docx_file(original, header="某某市人力资源和社会保障局"))
    out = formats.read(file)
    assert paragraphs(out) == paragraphs(original)
    assert "某某市人力资源和社会保障局" not in out


def test_docx_tables_come_in_document_order_one_row_per_line():
    table = [["失业保险金标准", "最低工资标准的90%"], ["缴费满1年不满5年", "最多领取12个月"]]
    out = docx_format.extract(docx_file(law("残疾人就业条例") + "附件：失业保险待遇表\n", table=table), "t.docx")
    assert out.rstrip().endswith("附件：失业保险待遇表\n\n失业保险金标准 | 最低工资标准的90%\n\n缴费满1年不满5年 | 最多领取12个月")


def test_automatic_numbering_is_reported_as_a_warning_naming_the_file(caplog):
    import docx

    document = docx.Document()
    document.add_paragraph("就业促进条例", style="Title")
    for text in ["为了促进就业，制定本条例。", "本条例自发布之日起施行。"]:
        document.add_paragraph(text, style="List Number")
    buf = io.BytesIO()
    document.save(buf)
    out = docx_format.extract(buf.getvalue(), "numbered.docx")
    assert "为了促进就业，制定本条例。" in out
    assert [r.getMessage()[:40] for r in caplog.records] == ["numbered.docx: 2 paragraphs are numbered"]
    caplog.clear()
    docx_format.extract(docx_file(law("残疾人就业条例")), "plain.docx")
    assert not caplog.records


def test_docx_of_images_only_is_refused_by_name(tmp_path):
    file = tmp_path / "scan.docx"
    file.write_bytes(docx_of_images())
    with pytest.raises(SourceError, match=r"scan\.docx: DOCX holds only images"):
        formats.read(file)


_zip = zip_package


def test_zip_bomb_docx_is_refused_before_unpacking():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (20 * 2**20)})
    assert len(bomb) < 100_000
    with pytest.raises(SourceError, match=r"bomb\.docx: DOCX part word/document\.xml is compressed \d+×"):
        docx_format.extract(bomb, "bomb.docx")


def test_docx_unpacking_over_the_size_setting_is_refused(monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_MAX_SOURCE_MB", "1")
    pictures = {f"word/media/image{i}.png": random.Random(i).randbytes(2**20) for i in range(3)}
    big = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **pictures})
    with pytest.raises(SourceError, match="big.docx: DOCX unpacks to 3 MB.*twice the setting KNOWLEDGE_MAX_SOURCE_MB"):
        docx_format.extract(big, "big.docx")


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04 not really a zip", "not a DOCX file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Word .doc or a password-protected"),
    (_zip({"content.xml": b"<office/>"}), "no word/document.xml"),
    (_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}), "not a readable DOCX"),
], ids=["not-zip", "ole", "odt-like", "broken-xml"])
def test_malformed_docx_is_refused_by_name(tmp_path, data, message):
    file = tmp_path / "bad.docx"
    file.write_bytes(data)
    with pytest.raises(SourceError, match=rf"bad\.docx: .*{message}"):
        formats.read(file)
