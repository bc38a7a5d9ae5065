"""The messy web copy: aligned to the official clauses, noted, never indexed twice, idempotent."""


import pytest

from knowledge.errors import SourceError
from knowledge.sources import load_corpus
from tests.conftest import OFFICIAL, SCRAPE, copy_sources


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return load_corpus(copy_sources(tmp_path_factory.mktemp("s"), OFFICIAL, SCRAPE))


@pytest.fixture(scope="module")
def official_only(tmp_path_factory):
    return load_corpus(copy_sources(tmp_path_factory.mktemp("o"), OFFICIAL))


def test_scrape_adds_no_duplicate_clauses(both, official_only):
    assert [c.text for c in both.clauses] == [c.text for c in official_only.clauses]
    assert len({c.text for c in both.clauses}) == len(both.clauses)


def test_wording_differences_become_version_notes(both):
    item5 = [c for c in both.clauses if c.clause_id.startswith("gf2017-28.p2.i5.")]
    notes = [n for c in item5 for n in c.notes]
    assert any(n.kind == "wording" and n.official == "新业态" and n.variant == "新兴业态" for n in notes)
    assert any(n.kind == "heading" and "新兴业态" in n.variant for n in notes)
    assert all(n.source == SCRAPE.name and n.published == "2017-10-12" for n in notes)


def test_publication_date_and_signature_date_recorded(both):
    yf = both.documents[0]
    assert yf.dates["发布"] == "2017-10-12"
    assert yf.dates["成文"] == "2017-09-25"  # only the copy carries the signature date
    assert any(n.kind == "date" for n in yf.notes)


def test_missing_parts_noted_on_the_document(both):
    gf = both.documents[1]
    coverage = [n for n in gf.notes if n.kind == "coverage"]
    assert coverage and "gf2017-28.p2.i6.s1" in coverage[0].detail


def test_text_only_in_a_copy_is_kept_and_flagged(tmp_path):
    folder = copy_sources(tmp_path, OFFICIAL)
    extra = "对返乡创业的农民工给予一次性交通补贴，具体标准由各市自行确定。"
    text = SCRAPE.read_text("utf-8") + extra
    (folder / "rescrape.txt").write_text(text, "utf-8")
    corpus = load_corpus(folder)
    flagged = [c for c in corpus.clauses if not c.official]
    assert len(flagged) == 1 and flagged[0].text.startswith("对返乡创业的农民工给予一次性交通补贴")
    assert flagged[0].notes[0].kind == "scrape_only" and flagged[0].notes[0].source == "rescrape.txt"


def test_same_source_twice_changes_nothing(tmp_path, both):
    folder = copy_sources(tmp_path, OFFICIAL, SCRAPE)
    (folder / "zz-same-scrape-again.txt").write_bytes(SCRAPE.read_bytes())
    (folder / "zz-same-official-again.md").write_bytes(OFFICIAL.read_bytes())
    again = load_corpus(folder)
    assert again.skipped_sources == ["zz-same-official-again.md", "zz-same-scrape-again.txt"]
    assert [c.to_dict() for c in again.clauses] == [c.to_dict() for c in both.clauses]


def test_copy_of_unknown_document_is_reported_and_left_out(tmp_path, official_only):
    folder = copy_sources(tmp_path, OFFICIAL)
    (folder / "other.txt").write_text("某市人民政府关于某事的通知 某府〔2019〕7号 全文如下。", "utf-8")
    corpus = load_corpus(folder)
    assert [c.text for c in corpus.clauses] == [c.text for c in official_only.clauses]
    [report] = corpus.left_out
    assert report.source == "other.txt" and "某府〔2019〕7号" in report.warnings[0]
    with pytest.raises(SourceError, match="other.txt.*某府〔2019〕7号"):
        load_corpus(folder, strict=True)


def test_undecodable_source_names_file_and_line(tmp_path):
    folder = copy_sources(tmp_path, OFFICIAL)
    (folder / "broken.md").write_bytes("第一行\n第二行\n".encode() + b"\xff\xfe bad\n")
    with pytest.raises(SourceError) as err:
        load_corpus(folder)
    assert err.value.path.endswith("broken.md") and err.value.line == 3


def test_empty_and_missing_folders_are_reported(tmp_path):
    with pytest.raises(SourceError, match="not found"):
        load_corpus(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="no policy files"):
        load_corpus(tmp_path / "empty")
