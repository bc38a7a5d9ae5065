"""Index build artifact with the real model: round trip, staleness, atomicity, corruption."""

import json
import shutil

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.errors import IndexMissingError, SourceError
from knowledge.index import build, build_with_report, current_key, ensure, index_key, load
from tests.conftest import LAWS, OFFICIAL, SCRAPE, copy_sources

pytestmark = pytest.mark.integration


def test_round_trip(built_settings):
    index = load(built_settings)
    assert index.dense.ntotal == len(index.clauses) == json.loads((index.path / "manifest.json").read_text())["clauses"]
    ids = [d.doc_id for d in index.documents]
    assert ids[:2] == ["yf2017-101", "gf2017-28"] and "jycjf-2015-04-24" in ids and len(ids) == len(set(ids)) == 10
    assert [d.doc_number for d in index.documents][:2] == ["粤府〔2017〕101号", "国发〔2017〕28号"]
    assert any(c.notes for c in index.clauses)


def test_rebuild_of_same_sources_is_identical(tmp_path, embedder):
    settings = KnowledgeSettings(index_dir=tmp_path / "i", sources_dir=copy_sources(tmp_path, OFFICIAL, SCRAPE))
    first = build(settings, embedder, progress=False)
    clauses = (first / "clauses.json").read_bytes()
    second = build(settings, embedder, progress=False)
    assert second == first and (second / "clauses.json").read_bytes() == clauses


def test_stale_index_rebuilt_and_failed_build_keeps_previous(tmp_path, embedder):
    sources = copy_sources(tmp_path, OFFICIAL)
    settings = KnowledgeSettings(index_dir=tmp_path / "i", sources_dir=sources)
    ensure(settings, embedder)
    old_key = current_key(settings)
    (sources / SCRAPE.name).write_bytes(SCRAPE.read_bytes())
    assert index_key(settings, embedder) != old_key
    with pytest.raises(IndexMissingError, match="stale"):
        ensure(settings, embedder, rebuild=False)
    ensure(settings, embedder)
    new_key = current_key(settings)
    assert new_key != old_key
    (sources / "broken.md").write_bytes(b"\xff")
    with pytest.raises(SourceError, match="broken.md"):
        build(settings, embedder, progress=False)
    assert current_key(settings) == new_key and load(settings).clauses
    assert not list((settings.index_dir / "builds").glob(".tmp-*"))


def test_missing_and_corrupt_index_name_the_path(tmp_path, built_settings):
    with pytest.raises(IndexMissingError, match="no index.*python -m knowledge build"):
        load(KnowledgeSettings(index_dir=tmp_path / "none"))
    broken = tmp_path / "broken"
    shutil.copytree(built_settings.index_dir, broken, symlinks=True)
    target = (broken / "current").resolve()
    (target / "dense.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexMissingError, match=f"{target}.*corrupt"):
        load(KnowledgeSettings(index_dir=broken))


def test_live_retriever_follows_a_swap_and_skips_a_broken_build(tmp_path, built_settings, embedder):
    from knowledge.live import LiveRetriever
    from knowledge.retrieve import Retriever

    index_dir = tmp_path / "live"
    shutil.copytree(built_settings.index_dir, index_dir, symlinks=True)
    settings = KnowledgeSettings(index_dir=index_dir)
    live = LiveRetriever(Retriever(load(settings), embedder, settings), settings, embedder, check_every_s=0)
    good = live.key
    broken = index_dir / "builds" / "broken"
    broken.mkdir()
    (index_dir / "current").unlink()
    (index_dir / "current").symlink_to("builds/broken")
    live.search("创业担保贷款", 1)  # notices the swap; the broken build fails to load in the background
    live._loading.acquire()  # wait for the background load to finish
    live._loading.release()
    assert live.key == good and live.search("创业担保贷款", 1).hits  # still serving the good build


def with_session_vectors(built_settings, folder):
    """A new index folder holding the session index's embedding cache → the folder: a build there embeds no text
    again (for tests of the FAISS index type, not of the vectors; each full embedding takes half a minute)."""
    folder.mkdir(parents=True)
    for cache in built_settings.index_dir.glob("embeddings-*.npz"):
        shutil.copyfile(cache, folder / cache.name)
    return folder


def test_index_type_is_a_setting(tmp_path, built_settings, embedder):
    from knowledge.errors import SettingError
    from knowledge.retrieve import Retriever

    hnsw = with_session_vectors(built_settings, tmp_path / "hnsw")
    settings = KnowledgeSettings(index_dir=hnsw, index_factory="HNSW32", index_search="efSearch=64")
    manifest = json.loads((build(settings, embedder, progress=False) / "manifest.json").read_text())
    index = load(settings)
    assert manifest["faiss"] == "HNSW32" and index.dense.hnsw.efSearch == 64
    assert Retriever(index, embedder, settings).search("创业担保贷款", 3).hits
    assert index_key(settings, embedder) != index_key(KnowledgeSettings(index_dir=hnsw), embedder)
    ivf = KnowledgeSettings(index_dir=with_session_vectors(built_settings, tmp_path / "ivf64"), index_factory="IVF{nlist},Flat",
                            index_search="nprobe=64")
    build(ivf, embedder, progress=False)
    import faiss

    n = len(load(ivf).clauses)
    assert faiss.extract_index_ivf(load(ivf).dense).nlist == max(64, int(4 * n**0.5))  # 4·√clauses, at least 64
    with pytest.raises(SettingError, match="KNOWLEDGE_INDEX_FACTORY='IVF4096,Flat'"):
        build(KnowledgeSettings(index_dir=with_session_vectors(built_settings, tmp_path / "ivf"), index_factory="IVF4096,Flat"),
              embedder, progress=False)
    with pytest.raises(SettingError, match="KNOWLEDGE_INDEX_SEARCH='nprobe=8'"):
        load(KnowledgeSettings(index_dir=hnsw, index_factory="HNSW32", index_search="nprobe=8"))


SAMPLE_EVERY = 20  # asked questions searched as citizens' questions: every 20th


def test_asked_questions_are_indexed_and_find_their_clause(built_settings, model_retriever):
    """The shipped NAME.questions.yaml files: every question indexed against an official clause, and a citizen who
    words a question as one of them is mostly led to that article (several articles may answer one question)."""
    index = load(built_settings)
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert index.asked_dense.ntotal == len(index.asked) == manifest["asked"] > 2000
    assert all(index.clauses[i].official for i, _ in index.asked)
    assert {index.clauses[i].doc_id for i, _ in index.asked} >= {"jycjf-2015-04-24", "shbxf-2018-12-29", "gf2017-28"}
    sample = index.asked[::SAMPLE_EVERY]
    results = model_retriever.search_many([q for _, q in sample])
    first = [r.hits[0].clause.path[-1] == index.clauses[i].path[-1] and r.hits[0].clause.doc_id == index.clauses[i].doc_id
             for (i, _), r in zip(sample, results, strict=True)]
    assert sum(first) >= 0.8 * len(sample), [q for ((_, q), ok) in zip(sample, first, strict=True) if not ok]


def test_a_stale_asked_entry_is_reported_and_the_rest_indexed(tmp_path, embedder):
    law = LAWS / "就业促进法-2015-04-24.txt"
    sources = copy_sources(tmp_path, law)
    (sources / (law.stem + ".questions.yaml")).write_text(
        "- clause: 第二十七条\n  questions: [招聘只写限男性，这样合法吗]\n- clause: 第九十九条\n  questions: [没有这一条]\n", "utf-8")
    settings = KnowledgeSettings(index_dir=tmp_path / "i", sources_dir=sources)
    key = index_key(settings, embedder)
    _, corpus = build_with_report(settings, embedder, progress=False)
    assert [q for _, q in load(settings).asked] == ["招聘只写限男性，这样合法吗"]
    assert any(w.startswith("line 3:") and "第九十九条" in w for w in corpus.files[0].warnings)
    (sources / (law.stem + ".questions.yaml")).write_text("- clause: 第二十七条\n  questions: [只招男的违法吗]\n", "utf-8")
    assert index_key(settings, embedder) != key  # an edited questions file makes the index stale


def test_questions_answered_elsewhere_are_indexed_and_told_where_to_ask(built_settings, model_retriever):
    """data/elsewhere.yaml: its examples indexed; a citizen asking such a topic in other words is refused and told where to
    ask, while everyday questions the library answers keep their answer."""
    from knowledge.answer import compose

    index = load(built_settings)
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert index.elsewhere_dense.ntotal == len(index.elsewhere_rows) == manifest["elsewhere"] > 300
    elsewhere = {"我想把住房公积金提出来付房租，可以吗": "12329", "年终奖发了2万要扣多少个税": "12366", "結婚證要去邊度辦": "民政"}
    for question, agency in elsewhere.items():
        result = model_retriever.search(question, 5)
        answer = compose(question, result, index.by_id)
        assert not result.answerable and agency in result.pointer and agency in answer.text and not answer.answerable, question
    for question in ["被公司辞退了能领失业金吗", "招聘只要男的，这算歧视吗"]:
        result = model_retriever.search(question, 5)
        assert result.answerable and not result.pointer, question


def test_an_edited_elsewhere_file_makes_the_index_stale_and_a_malformed_one_names_its_line(tmp_path, embedder):
    sources = copy_sources(tmp_path, LAWS / "就业促进法-2015-04-24.txt")
    topics = tmp_path / "elsewhere.yaml"
    topics.write_text("- topic: 住房公积金\n  ask: 当地住房公积金管理中心\n  questions: [公积金怎么提取]\n", "utf-8")
    settings = KnowledgeSettings(index_dir=tmp_path / "i", sources_dir=sources, elsewhere=topics)
    build(settings, embedder, progress=False)
    key = current_key(settings)
    assert [q for _, q in load(settings).elsewhere_rows] == ["公积金怎么提取"] and load(settings).elsewhere_topics[0].ask == "当地住房公积金管理中心"
    topics.write_text("- topic: 住房公积金\n  ask: 当地住房公积金管理中心\n  questions: [公积金怎么提取]\n- topic: 个税\n  questions: [个税怎么退]\n", "utf-8")
    assert index_key(settings, embedder) != key
    with pytest.raises(SourceError) as err:
        build(settings, embedder, progress=False)
    assert err.value.path == str(topics) and err.value.line == 4 and "'ask'" in err.value.reason
    assert current_key(settings) == key  # the failed build left the previous index current
