"""Asked questions (knowledge/asked.py): a NAME.questions.yaml beside a source → the questions each clause answers;
a malformed file names file, line and key; an entry naming no clause is a warning, not a lost build."""

from __future__ import annotations

import pytest

from knowledge import asked
from knowledge.errors import SourceError
from knowledge.types import Clause

SOURCE_NAME = "就业促进法-2015-04-24.txt"


def _clause(cid: str, path: list[str], text: str) -> Clause:
    return Clause(clause_id=cid, doc_number="", text=text, path=path, doc_id="law")


CLAUSES = [
    _clause("law.27.1", ["第三章　公平就业", "第二十七条"], "国家保障妇女享有与男子平等的劳动权利。"),
    _clause("law.27.2", ["第三章　公平就业", "第二十七条"], "用人单位录用职工，不得以性别为由拒绝录用妇女。"),
    _clause("law.2", ["第一章　总则", "第二条"], "国家把扩大就业放在经济社会发展的突出位置。"),
    _clause("n.s1", ["三、抓好高校毕业生就业创业", "（十一）鼓励高校毕业生多渠道就业"], "加大就业见习力度。"),
]


def _write(tmp_path, body: str):
    source = tmp_path / SOURCE_NAME
    source.write_text("…", "utf-8")
    asked.questions_path(source).write_text(body, "utf-8")
    return source


def test_no_file_means_no_questions(tmp_path):
    assert asked.load(tmp_path / SOURCE_NAME, CLAUSES) == ({}, [])


def test_a_quote_picks_the_paragraph_and_a_prefix_label_the_notice_item(tmp_path):
    source = _write(tmp_path, """
- clause: 第二十七条
  quote: 不得以性别为由
  questions: [招聘只要男的算歧视吗, 招聘只要男的算歧视吗, 面试说不招女的合法吗]
- clause: 第二条
  questions: [国家怎么看就业]
- clause: （十一）
  questions: [毕业了想去见习有没有补贴]
""")
    found, warnings = asked.load(source, CLAUSES)
    assert found == {"law.27.2": ["招聘只要男的算歧视吗", "面试说不招女的合法吗"], "law.2": ["国家怎么看就业"],
                     "n.s1": ["毕业了想去见习有没有补贴"]}
    assert warnings == []


def test_an_article_label_matches_whole_not_as_a_prefix(tmp_path):
    source = _write(tmp_path, "- clause: 第二\n  questions: [x]\n")
    found, warnings = asked.load(source, CLAUSES)
    assert found == {} and len(warnings) == 1


def test_an_entry_naming_no_clause_is_a_warning_with_its_line(tmp_path):
    source = _write(tmp_path, """- clause: 第二条
  questions: [国家怎么看就业]
- clause: 第九十九条
  questions: [不存在的条文]
- clause: 第二十七条
  quote: 这句话不在条文里
  questions: [问题]
""")
    found, warnings = asked.load(source, CLAUSES)
    assert found == {"law.2": ["国家怎么看就业"]}
    assert warnings[0].startswith("line 3:") and "第九十九条" in warnings[0]
    assert warnings[1].startswith("line 5:") and "这句话不在条文里" in warnings[1]


@pytest.mark.parametrize("body, line, says", [
    ("- clause: 第二条\n  questions: [a]\n- clause: 第二条\n  question: [typo]\n", 3, "question"),
    ("- clause: 第二条\n  questions: []\n", 1, "questions"),
    ("- clause: 第二条\n  questions: [a\n", 3, "not valid YAML"),  # YAML finds it at the end of the stream
    ("clause: 第二条\n", 1, "a list of entries"),
])
def test_a_malformed_file_names_file_line_and_key(tmp_path, body, line, says):
    source = _write(tmp_path, body)
    with pytest.raises(SourceError) as err:
        asked.load(source, CLAUSES)
    assert err.value.path == str(asked.questions_path(source)) and err.value.line == line and says in str(err.value)
