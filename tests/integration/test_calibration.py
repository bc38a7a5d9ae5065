"""The fitted answerable rule holds on the real index: of the out-of-scope questions of the sets the
calibration file says it was fitted on, at most its stated share gets an asserted answer (the rule
benchmarks/calibrate.py states)."""

from __future__ import annotations

import pytest
import yaml

from knowledge.answer import asserts
from knowledge.config import ROOT
from knowledge.evaluate import load_questions

pytestmark = pytest.mark.integration


def test_out_of_scope_questions_it_was_fitted_on_stay_within_the_stated_budget(retriever):
    data = yaml.safe_load(retriever.settings.calibration.read_text("utf-8"))
    questions = [q for name in data["fitted_on"] for q in load_questions(ROOT / name).out_of_scope]
    asserted = [r.query for r in retriever.search_many(questions) if r.answerable and asserts(r)]
    assert len(questions) >= 10 and len(asserted) <= int(data["max_asserted_out_of_scope"] * len(questions)), asserted
