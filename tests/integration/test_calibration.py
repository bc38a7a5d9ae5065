"""The fitted answerable rule holds on the real index: every out-of-scope question of the sets
the calibration file says it was fitted on is refused (the rule benchmarks/calibrate.py states)."""

from __future__ import annotations

import pytest
import yaml

from knowledge.config import ROOT
from knowledge.evaluate import load_questions

pytestmark = pytest.mark.integration


def test_every_out_of_scope_question_it_was_fitted_on_is_refused(retriever):
    fitted_on = yaml.safe_load(retriever.settings.calibration.read_text("utf-8"))["fitted_on"]
    questions = [q for name in fitted_on for q in load_questions(ROOT / name).out_of_scope]
    answered = [r.query for r in retriever.search_many(questions) if r.answerable]
    assert len(questions) >= 10 and not answered
