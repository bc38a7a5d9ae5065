"""The law question sets are sound evaluation data: every expected phrase is verbatim source text
inside the named article of an accepted document and in no other document, the tuning and
evaluation sets share no question, and no question copies the source wording."""

from __future__ import annotations

import re

import pytest

from knowledge.config import ROOT
from knowledge.evaluate import DOC_NUMBER, file_names, load_questions
from knowledge.sources import read_text, source_files
from tests.conftest import SOURCES

EVAL = ROOT / "benchmarks" / "laws_eval.yaml"
TUNE = ROOT / "benchmarks" / "laws_tune.yaml"
TUNE_COLLOQUIAL = ROOT / "benchmarks" / "laws_tune_colloquial.yaml"  # second tuning set
NEARMISS = ROOT / "benchmarks" / "laws_nearmiss.yaml"  # near-miss out-of-scope questions (evaluation only)
TUNE_NEARMISS = ROOT / "benchmarks" / "laws_tune_nearmiss.yaml"  # near-miss questions for fitting (mentions vs states)
OLD_SETS = [ROOT / "benchmarks" / "questions.yaml"]
ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零〇]+条)[\s　]", re.M)
HEADING = re.compile(r"^\s*第[一二三四五六七八九十百零〇]+[章节编][\s　]", re.M)
COPY_LIMIT = 12  # a question sharing this many consecutive characters with a source copies it


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _articles(text: str) -> dict[str, str]:
    """A law's text → {第X条: the article's text up to the next article or heading}."""
    marks = sorted([(m.start(), m.group(1)) for m in ARTICLE.finditer(text)] + [(m.start(), "") for m in HEADING.finditer(text)])
    bounds = marks + [(len(text), "")]
    return {name: _flat(text[start : bounds[i + 1][0]]) for i, (start, name) in enumerate(marks) if name}


def _library() -> list[tuple[set[str], str, dict[str, str]]]:
    """The sources folder → per official document file: (its names, flat text, articles).

    A notice file holding two documents is named by both 文号 lines; a copy without them is skipped."""
    docs = []
    for path in source_files(SOURCES):
        text = read_text(path)
        if DOC_NUMBER.search(text):
            numbers = {line.strip("# \t") for line in text.splitlines() if DOC_NUMBER.fullmatch(line.strip("# \t"))}
            if numbers:
                docs.append((numbers, _flat(text), {}))
        else:
            docs.append((file_names(text), _flat(text), _articles(text)))
    return docs


@pytest.fixture(scope="module")
def library():
    docs = _library()
    assert any(articles for _, _, articles in docs), f"the law library is not in {SOURCES}"
    return docs


@pytest.mark.parametrize("path", [EVAL, TUNE, TUNE_COLLOQUIAL, TUNE_NEARMISS], ids=["eval", "tune", "tune-colloquial", "tune-nearmiss"])
def test_every_phrase_is_in_a_named_article_of_an_accepted_document_only(path, library):
    known = set().union(*(names for names, _, _ in library))
    problems = []
    for case in load_questions(path).cases:
        problems += [f"{case.q}: unknown document {d}" for d in case.doc if d not in known]
        for phrase in map(_flat, case.any):
            holders = [(names, articles) for names, text, articles in library if phrase in text]
            if not holders or any(not names & set(case.doc) for names, _ in holders):
                problems.append(f"{case.q}: «{phrase}» is in {[sorted(n) for n, _ in holders]}, accepted {case.doc}")
            laws = [articles for _, articles in holders if articles]
            if laws and not any(phrase in articles.get(a, "") for articles in laws for a in case.art):
                problems.append(f"{case.q}: «{phrase}» is in none of the articles {case.art}")
    assert not problems, "\n".join(problems)


def test_sets_are_disjoint_and_large_enough():
    sets = {p.name: load_questions(p) for p in [EVAL, TUNE, TUNE_COLLOQUIAL, NEARMISS, TUNE_NEARMISS, *OLD_SETS]}
    questions = {name: {c.q for c in s.cases} | set(s.out_of_scope) for name, s in sets.items()}
    assert not questions["laws_eval.yaml"] & questions["laws_tune.yaml"]
    assert not questions["laws_eval.yaml"] & questions["laws_tune_colloquial.yaml"]
    assert not questions["laws_eval.yaml"] & questions["questions.yaml"]
    assert not questions["laws_eval.yaml"] & questions["laws_nearmiss.yaml"]
    assert not (questions["laws_eval.yaml"] | questions["laws_nearmiss.yaml"]) & questions["laws_tune_nearmiss.yaml"]
    assert len(sets["laws_eval.yaml"].cases) >= 150 and len(sets["laws_eval.yaml"].out_of_scope) >= 10
    assert len(sets["laws_tune.yaml"].cases) >= 60 and len(sets["laws_tune.yaml"].out_of_scope) >= 8
    assert all(c.art for name in ["laws_eval.yaml", "laws_tune.yaml", "laws_tune_colloquial.yaml", "laws_tune_nearmiss.yaml"] for c in sets[name].cases)


def test_no_question_copies_the_source_wording(library):
    corpus = "\n".join(text for _, text, _ in library)
    copied = []
    for path in [EVAL, TUNE, TUNE_COLLOQUIAL, NEARMISS, TUNE_NEARMISS]:
        qs = load_questions(path)
        for q in [c.q for c in qs.cases] + qs.out_of_scope:
            flat = _flat(q)
            if any(flat[i : i + COPY_LIMIT] in corpus for i in range(len(flat) - COPY_LIMIT + 1)):
                copied.append(q)
    assert not copied, "\n".join(copied)


ECHO_RATIO = 0.8  # an asked question this alike to a benchmark question would leak the benchmark into the index


def _asked_questions() -> list[str]:
    """The shipped NAME.questions.yaml files → every asked question (knowledge/asked.py)."""
    import yaml

    return [q for path in sorted(SOURCES.glob("*.questions.yaml")) for e in yaml.safe_load(path.read_text("utf-8")) for q in e["questions"]]


def _elsewhere_questions() -> list[str]:
    """The shipped data/elsewhere.yaml → every example of a question answered elsewhere (knowledge/elsewhere.py)."""
    from knowledge import elsewhere
    from knowledge.config import KnowledgeSettings

    return [q for _, q in elsewhere.rows(elsewhere.load(KnowledgeSettings().elsewhere))]


def test_asked_questions_do_not_echo_any_benchmark_question():
    """The questions clauses answer, and those answered elsewhere, were written from the documents alone; one that
    nearly repeats a question of a tuning or evaluation set would make that set's figure a lookup, so it may not be
    shipped."""
    import difflib

    from knowledge.normalize import clean_query

    bench = []
    for path in [EVAL, TUNE, TUNE_COLLOQUIAL, NEARMISS, TUNE_NEARMISS, *OLD_SETS]:
        qs = load_questions(path)
        bench += [clean_query(q, 500) for q in [c.q for c in qs.cases] + qs.out_of_scope]
    asked = _asked_questions()
    assert len(asked) > 1000
    asked += _elsewhere_questions()
    echoes = []
    for a in {clean_query(q, 500) for q in asked}:
        matcher = difflib.SequenceMatcher(None, "", a)  # the second sequence is the one difflib indexes once
        for b in bench:
            matcher.set_seq1(b)
            if matcher.real_quick_ratio() >= ECHO_RATIO and matcher.quick_ratio() >= ECHO_RATIO and matcher.ratio() >= ECHO_RATIO:
                echoes.append(a)
                break
    assert not echoes, "\n".join(echoes)


def test_asked_questions_do_not_copy_the_source_wording(library):
    corpus = "\n".join(text for _, text, _ in library)
    copied = [q for q in _asked_questions() if any(_flat(q)[i : i + COPY_LIMIT] in corpus for i in range(len(_flat(q)) - COPY_LIMIT + 1))]
    assert not copied, "\n".join(copied)
