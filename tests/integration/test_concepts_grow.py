"""Near-miss refusals come from the documents, not from a topic list: add a document that states the
concept, and the same citizen questions become answerable, quoted from it."""

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.index import build, load
from knowledge.retrieve import Retriever
from tests.conftest import OFFICIAL, SCRAPE, copy_sources

pytestmark = pytest.mark.integration

# A notice in the official layout; its clauses follow 《工伤保险条例》第十七条 and 第二十条.
INJURY_NOTICE = """# 广东省人力资源和社会保障厅文件

粤人社函〔2024〕12号

## 广东省人力资源和社会保障厅关于做好工伤认定工作的通知

各地级以上市人力资源社会保障局：

为规范工伤认定工作，保障工伤职工合法权益，现就有关事项通知如下。

### 一、工伤认定申请

职工发生事故伤害，所在单位应当自事故伤害发生之日起30日内，向统筹地区人力资源社会保障行政部门提出工伤认定申请。用人单位未按规定提出工伤认定申请的，工伤职工或者其近亲属、工会组织在事故伤害发生之日起1年内，可以直接向用人单位所在地统筹地区人力资源社会保障行政部门提出工伤认定申请。（省人力资源社会保障厅）

### 二、工伤认定决定

社会保险行政部门应当自受理工伤认定申请之日起60日内作出工伤认定的决定，并书面通知申请工伤认定的职工或者其近亲属和该职工所在单位。（省人力资源社会保障厅）
"""
QUESTIONS = ["工伤认定怎么申请", "我在厂里受伤了，工伤认定去哪里申请啊", "工伤认定要多久才出结果"]


def _retriever(sources, index_dir, embedder) -> Retriever:
    settings = KnowledgeSettings(index_dir=index_dir, sources_dir=sources)
    build(settings, embedder, progress=False)
    return Retriever(load(settings), embedder, settings)


def test_refused_questions_become_answerable_when_a_document_adds_the_concept(tmp_path, embedder):
    # the notice alone never speaks of 工伤认定 (the shipped 社会保险法 does: so start from the notice only)
    sources = copy_sources(tmp_path, OFFICIAL, SCRAPE)
    notice_only = _retriever(sources, tmp_path / "notice", embedder)
    for q in QUESTIONS:
        before = notice_only.search(q)
        assert not before.answerable and "认定" in before.missing_concepts, q

    (sources / "yue-rensheghan-2024-12.md").write_text(INJURY_NOTICE, "utf-8")
    grown = _retriever(sources, tmp_path / "grown", embedder)
    for q in QUESTIONS:
        after = grown.search(q)
        assert after.missing_concepts == [] and after.key_concepts, q
        assert after.hits[0].clause.doc_number == "粤人社函〔2024〕12号" and "工伤认定" in after.hits[0].clause.text, q
    assert grown.search("工伤认定怎么申请").answerable
