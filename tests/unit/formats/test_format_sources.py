"""The format layer under the sources stage: a copy saved as a GBK web page aligns like the text copy."""

from __future__ import annotations

from knowledge.sources import load_corpus
from tests.conftest import OFFICIAL, SCRAPE, copy_sources
from tests.unit.formats.make_files import html_page


def test_web_copy_saved_as_a_gbk_page_aligns_like_the_text_copy(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "page").mkdir()
    as_text = load_corpus(copy_sources(tmp_path / "text", OFFICIAL, SCRAPE))
    folder = copy_sources(tmp_path / "page", OFFICIAL)
    (folder / "scrape.htm").write_bytes(html_page("网页转载\n" + SCRAPE.read_text("utf-8"), charset="gbk"))
    as_page = load_corpus(folder)
    assert _facts(as_page) == _facts(as_text)
    assert any(notes for _, _, notes in _facts(as_page))  # the copy's wording differences were found through the page


def _facts(corpus) -> list[tuple]:
    """A corpus → per clause its id, text and notes (kind, official and copy wording), file names left out."""
    return [(c.clause_id, c.text, [(n.kind, n.official, n.variant) for n in c.notes]) for c in corpus.clauses]
