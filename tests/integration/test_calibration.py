"""The fitted calibration holds on the real index: of the out-of-scope questions of the sets the
calibration file says it was fitted on, at most its stated share gets an asserted answer (the rule
benchmarks/calibrate.py states); the fitted document step ranks the law tuning sets no worse than
the step switched off."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from knowledge.answer import asserts
from knowledge.config import ROOT
from knowledge.evaluate import Questions, evaluate_system, load_questions, ours

pytestmark = pytest.mark.integration


def test_out_of_scope_questions_it_was_fitted_on_stay_within_the_stated_budget(retriever):
    data = yaml.safe_load(retriever.settings.calibration.read_text("utf-8"))
    questions = [q for name in data["fitted_on"] for q in load_questions(ROOT / name).out_of_scope]
    asserted = [r.query for r in retriever.search_many(questions) if r.answerable and asserts(r)]
    assert len(questions) >= 10 and len(asserted) <= int(data["max_asserted_out_of_scope"] * len(questions)), asserted


def test_the_fitted_document_step_ranks_the_law_tuning_sets_no_worse_than_without_it(retriever, monkeypatch):
    sets = [load_questions(ROOT / "benchmarks" / name) for name in ("laws_tune.yaml", "laws_tune_colloquial.yaml")]
    fitted = retriever.calibration
    assert fitted.local_weight > 0 or fitted.doc_heading_weight > 0 or fitted.penalty_chapter_weight > 0

    def hits_at_1() -> int:
        return sum(r == 1 for q in sets for r in evaluate_system("docstep", ours(retriever), Questions(q.cases, [])).ranks)

    with_step = hits_at_1()
    monkeypatch.setattr(retriever, "calibration", dataclasses.replace(
        fitted, doc_weight=0.0, doc_heading_weight=0.0, local_weight=0.0, penalty_chapter_weight=0.0))
    assert with_step >= hits_at_1()


def test_a_duty_outranks_the_penalty_article_that_repeats_it(retriever):
    hit = retriever.search("残疾人福利企业能享受税收优惠吗", 1).hits[0]
    assert hit.doc_title == "残疾人就业条例" and hit.clause.path[-1] == "第十七条", hit.clause.path


def test_the_asked_questions_rank_the_law_tuning_sets_better_than_without_them(retriever, monkeypatch):
    """Lifting a clause towards the questions it answers (knowledge/asked.py) is what the fit chose, and it pays."""
    sets = [load_questions(ROOT / "benchmarks" / name) for name in ("laws_tune.yaml", "laws_tune_colloquial.yaml")]
    assert retriever.calibration.asked_weight > 0

    def hits_at_1() -> int:
        return sum(r == 1 for q in sets for r in evaluate_system("asked", ours(retriever), Questions(q.cases, [])).ranks)

    lifted = hits_at_1()
    monkeypatch.setattr(retriever, "calibration", dataclasses.replace(retriever.calibration, asked_weight=0.0))
    assert lifted > hits_at_1()
