"""PDF with a text layer: page numbers and running headers dropped, wrapped lines rejoined, bad PDFs refused."""

from __future__ import annotations

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from knowledge import formats
from knowledge.errors import SourceError
from knowledge.formats import pdf as pdf_format
from tests.unit.formats.make_files import LAWS, articles, law, paragraphs, pdf, scanned_pdf

LAW_FILES = sorted(LAWS.glob("*.txt"))


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_indented_pdf_gives_the_plain_text_paragraphs(tmp_path, path):
    original = path.read_text("utf-8")
    file = tmp_path / f"{path.stem}.pdf"
    file.write_bytes(pdf(original))
    out = formats.read(file)
    assert paragraphs(out) == paragraphs(original)
    title = original.splitlines()[0]
    assert paragraphs(out).count(title) == 1 and "— 2 —" not in out


@pytest.mark.parametrize("name", ["就业促进法", "广东省失业保险条例"])
@pytest.mark.parametrize("layout", [dict(indent=False, gap=0.6), dict(indent=False, header=False, footer="第 {n} 页")],
                         ids=["spaced-paragraphs", "flush-left"])
def test_flush_left_pdf_keeps_every_article(name, layout):
    original = law(name)
    out = pdf_format.extract(pdf(original, **layout), name)
    assert articles(out) == articles(original) and len(articles(out)) > 40
    assert paragraphs(out)[:3] == paragraphs(original)[:3]  # title, history line, first chapter
    assert "第 2 页" not in out


@pytest.mark.parametrize("spread", [0, 6], ids=["justified", "distributed"])
def test_justified_lines_get_no_spaces_between_characters(spread):
    original = law("残疾人就业条例")
    out = pdf_format.extract(pdf(original, spread=spread), "justified.pdf")
    assert paragraphs(out) == paragraphs(original)
    assert "第一条 为了" in out and "为 了" not in out


def test_pdf_readable_without_a_password_is_read_despite_copy_restrictions():
    original = law("残疾人就业条例")
    out = pdf_format.extract(pdf(original, encrypt=StandardEncryption("", "owner", canCopy=0)), "restricted.pdf")
    assert paragraphs(out) == paragraphs(original)


def test_password_protected_pdf_is_refused_by_name(tmp_path):
    file = tmp_path / "protected.pdf"
    file.write_bytes(pdf(law("残疾人就业条例"), encrypt=StandardEncryption("secret", "owner")))
    with pytest.raises(SourceError, match=r"protected\.pdf: PDF is encrypted"):
        formats.read(file)


def test_scanned_pdf_without_text_layer_is_refused_by_name(tmp_path):
    file = tmp_path / "scan.pdf"
    file.write_bytes(scanned_pdf())
    with pytest.raises(SourceError, match=r"scan\.pdf: PDF has no text layer"):
        formats.read(file)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF", b"\x00\x01\x02garbage" * 50],
                         ids=["no-root", "garbage"])
def test_broken_pdf_is_refused_by_name(tmp_path, data):
    file = tmp_path / "broken.pdf"
    file.write_bytes(data)
    with pytest.raises(SourceError, match=r"broken\.pdf: not a readable PDF"):
        formats.read(file)


def test_truncated_pdf_is_refused_by_name(tmp_path):
    file = tmp_path / "cut.pdf"
    file.write_bytes(pdf(law("残疾人就业条例"))[:4000])
    with pytest.raises(SourceError, match=r"cut\.pdf: "):
        formats.read(file)
