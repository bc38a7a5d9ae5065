"""Questions answered elsewhere (knowledge/elsewhere.py): the topics file → topics with where to ask; a malformed
file names file, line and key; the shipped file is sound."""

from __future__ import annotations

import pytest

from knowledge import elsewhere
from knowledge.config import KnowledgeSettings
from knowledge.errors import SourceError


def test_no_file_means_no_topics(tmp_path):
    assert elsewhere.load(tmp_path / "elsewhere.yaml") == []


def test_topics_and_their_rows(tmp_path):
    path = tmp_path / "elsewhere.yaml"
    path.write_text("""
- topic: 住房公积金
  ask: 当地住房公积金管理中心（服务热线12329）
  questions:
    - 公积金能不能取出来付房租
    - 公积金能不能取出来付房租
    - 离职了公积金怎么提
- topic: 个人所得税
  ask: 当地税务部门（纳税服务热线12366）
  questions: [年终奖怎么交个税]
""", "utf-8")
    topics = elsewhere.load(path)
    assert [t.topic for t in topics] == ["住房公积金", "个人所得税"] and topics[0].ask.endswith("12329）")
    assert elsewhere.rows(topics) == [(0, "公积金能不能取出来付房租"), (0, "离职了公积金怎么提"), (1, "年终奖怎么交个税")]
    assert topics[1].pointer == "关于个人所得税，请咨询当地税务部门（纳税服务热线12366）。"


@pytest.mark.parametrize("body, line, key", [
    ("- topic: 住房公积金\n  questions: [公积金怎么提]\n", 1, "ask"),
    ("- topic: 住房公积金\n  ask: 公积金中心\n  questions: [a]\n- topic: 个税\n  ask: 税务部门\n  questions: []\n", 4, "questions"),
    ("- topic: 住房公积金\n  ask: 公积金中心\n  question: [公积金怎么提]\n", 1, "questions"),
])
def test_a_malformed_topic_names_file_line_and_key(tmp_path, body, line, key):
    path = tmp_path / "elsewhere.yaml"
    path.write_text(body, "utf-8")
    with pytest.raises(SourceError) as err:
        elsewhere.load(path)
    assert err.value.path == str(path) and err.value.line == line and repr(key) in err.value.reason


def test_not_a_list_or_not_yaml_is_named(tmp_path):
    path = tmp_path / "elsewhere.yaml"
    path.write_text("topic: 住房公积金\n", "utf-8")
    with pytest.raises(SourceError, match="expected a list"):
        elsewhere.load(path)
    path.write_text("- topic: [unclosed\n", "utf-8")
    with pytest.raises(SourceError, match="not valid YAML"):
        elsewhere.load(path)


def test_the_shipped_topics_load_and_each_names_where_to_ask():
    topics = elsewhere.load(KnowledgeSettings().elsewhere)
    assert len(topics) >= 20 and sum(len(t.questions) for t in topics) >= 300
    assert all(len(t.questions) >= 5 and t.ask for t in topics)
    assert len({t.topic for t in topics}) == len(topics)
