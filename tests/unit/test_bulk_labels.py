"""benchmarks/bulk_labels.yaml is sound labelling data (every out-of-scope question of the law sets labelled
once, each labelled document a bulk file, each labelled article a 第X条 heading of that file), and the
labelled figures score as the brief says (a refusal of a bulk-answered question is a miss)."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.bench_bulk import BULK
from benchmarks.bulk_labels import Label, Source, labelled_figures, load_labels
from knowledge.config import ROOT
from knowledge.errors import SourceError
from knowledge.evaluate import Case, Questions, load_questions
from knowledge.sources import read_text
from tests.unit.test_question_sets import ARTICLE

OUT_OF_SCOPE_SETS = ["laws_eval.yaml", "laws_nearmiss.yaml", "laws_tune.yaml", "laws_tune_colloquial.yaml"]


@pytest.fixture(scope="module")
def labels() -> list[Label]:
    return load_labels()


def test_every_out_of_scope_question_is_labelled_once(labels):
    labelled = Counter((lab.set, lab.q) for lab in labels if not lab.in_scope)
    expected = {(name, q) for name in OUT_OF_SCOPE_SETS for q in load_questions(ROOT / "benchmarks" / name).out_of_scope}
    assert sorted(expected - set(labelled)) == [], "out-of-scope questions without a label"
    assert sorted(set(labelled) - expected) == [], "labels on questions that are not out of scope in their set"
    assert [k for k, n in labelled.items() if n > 1] == [], "questions labelled twice"


def test_in_scope_labels_name_cases_of_their_set(labels):
    stray = [(lab.set, lab.q) for lab in labels if lab.in_scope
             if lab.q not in {c.q for c in load_questions(ROOT / "benchmarks" / lab.set).cases}]
    assert stray == []
    assert len({(lab.set, lab.q) for lab in labels if lab.in_scope}) == sum(lab.in_scope for lab in labels)


def test_every_labelled_article_is_a_heading_of_a_bulk_file(labels):
    problems = []
    for lab in labels:
        for source in lab.sources:
            path = BULK / f"{source.doc}.txt"
            if not path.is_file():
                problems.append(f"{lab.q}: no bulk file {path.name}")
                continue
            headings = set(ARTICLE.findall(read_text(path)))
            problems += [f"{lab.q}: {a} is no article heading of {path.name}" for a in source.art if a not in headings]
            if headings and not source.art:
                problems.append(f"{lab.q}: {path.name} has articles, name them")
    assert problems == [], "\n".join(problems)


def test_a_malformed_label_names_the_file_and_entry(tmp_path):
    bad = tmp_path / "labels.yaml"
    bad.write_text("out_of_scope:\n  - {set: laws_eval.yaml, q: 问题, answered_by: [{art: [第一条]}], reason: x}\n", "utf-8")
    with pytest.raises(SourceError, match=r"labels\.yaml.*entry 1"):
        load_labels(bad)


def _search(table: dict[str, tuple[bool, list[tuple[str, str]]]]):
    """{question: (answerable, [(bulk stem or library title, article)…])} → a labelled_search-shaped fake."""
    return lambda q: (table[q][0], [(f"{doc} {art} 的条文", {doc}, doc, art) for doc, art in table[q][1]])


def test_labelled_figures_count_bulk_answers_and_refusals():
    law = Source("工伤保险条例-2010-12-20", ("第十八条",))
    labels = {
        "材料": Label("s.yaml", "材料", (law,), "r", False),
        "认定": Label("s.yaml", "认定", (law,), "r", False),
        "积分": Label("s.yaml", "积分", (), "r", False),
        "醉酒": Label("s.yaml", "醉酒", (Source("工伤保险条例-2010-12-20", ("第十六条",)),), "r", True),
    }
    questions = Questions([Case("醉酒", ["社会保险法 第三十七条"], ["社会保险法"]), Case("歧视", ["就业促进法 第二十七条"], ["就业促进法"])],
                          ["材料", "认定", "积分", "驾照"])
    search = _search({
        "醉酒": (True, [("工伤保险条例-2010-12-20", "第十六条"), ("社会保险法", "第三十七条")]),  # bulk article first: a hit
        "歧视": (True, [("劳动法-2018-12-29", "第十三条"), ("就业促进法", "第二十七条")]),  # unlabelled bulk first: rank 2
        "材料": (True, [("工伤保险条例-2010-12-20", "第十八条")]),  # answered with the labelled article: a hit
        "认定": (False, [("工伤保险条例-2010-12-20", "第十八条")]),  # refused: a miss although ranked first
        "积分": (False, [("社会保险法", "第十条")]),  # refused: right
        "驾照": (True, [("道路交通安全法实施条例-2017-10-07", "第二十三条")]),  # answered, no label: not refused
    })
    row = labelled_figures("t", search, questions, labels)
    assert (row["hit@1"], row["hit@3"], row["doc@1"]) == (0.5, 1.0, 0.5)
    assert (row["bulk-answered n"], row["answered"], row["cited@1"]) == (2, 0.5, 0.5)
    assert row["hit@1 incl. bulk-answered"] == 0.5
    assert (row["OOS n"], row["OOS refused"]) == (2, 0.5)
