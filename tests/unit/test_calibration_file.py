"""The calibration file: read as data, and every fault named by file and key."""

from __future__ import annotations

import math

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.errors import SourceError
from knowledge.retrieve import ANSWER_EVIDENCE, FEATURES, Calibration, confidence

ANSWERABLE = {"intercept": -2.0} | {name: 0.0 for name in ANSWER_EVIDENCE} | {"cosine": 3.0, "coverage": 1.0}
GOOD = ("bm25_weight: 0.1\nclause_coverage_weight: 0.4\ntext_coverage_weight: 0.05\nheading_coverage_weight: 0.0\n"
        "document_cosine_weight: 0.2\ndocument_coverage_weight: 0.0\ndocument_named_weight: 0.1\narticle_named_weight: 0.3\n"
        "threshold: 0.5\nanswerable:\n" + "".join(f"  {k}: {v}\n" for k, v in ANSWERABLE.items()))


def test_the_shipped_calibration_loads():
    cal = Calibration.load(KnowledgeSettings().calibration)
    assert 0 < cal.threshold < 1 and cal.bm25_weight >= 0 and set(cal.answerable) == {"intercept", *ANSWER_EVIDENCE}


def test_values_come_from_the_file(tmp_path):
    path = tmp_path / "calibration.yaml"
    path.write_text(GOOD)
    cal = Calibration.load(path)
    assert cal.threshold == 0.5
    evidence = {name: 0.5 for name in ANSWER_EVIDENCE} | {"cosine": 0.7, "coverage": 0.5}
    assert confidence(evidence, cal) == pytest.approx(1 / (1 + math.exp(-(-2.0 + 3.0 * 0.7 + 1.0 * 0.5))))


def test_the_ranking_weights_come_from_the_file_in_feature_order(tmp_path):
    path = tmp_path / "calibration.yaml"
    path.write_text(GOOD)
    weights = dict(zip(FEATURES, Calibration.load(path).ranking_vector(), strict=True))
    assert weights == {"cosine": 1.0, "bm25": 0.1, "clause_coverage": 0.4, "text_coverage": 0.05, "heading_coverage": 0.0,
                       "document_cosine": 0.2, "document_coverage": 0.0, "document_named": 0.1, "article_named": 0.3}


@pytest.mark.parametrize("text, key", [
    (GOOD.replace("threshold: 0.5\n", ""), "threshold"),
    (GOOD.replace("document_cosine_weight: 0.2\n", ""), "document_cosine_weight"),
    (GOOD.replace("  oov: 0.0", "  oov: high"), "answerable.oov"),
    (GOOD.replace("  intercept: -2.0\n", ""), "answerable.intercept"),
    ("- just a list\n", "bm25_weight"),
])
def test_a_missing_or_bad_key_is_named(tmp_path, text, key):
    path = tmp_path / "calibration.yaml"
    path.write_text(text)
    with pytest.raises(SourceError, match=key) as err:
        Calibration.load(path)
    assert str(path) in str(err.value) and "calibrate.py" in str(err.value)


def test_a_missing_file_names_the_setting(tmp_path):
    with pytest.raises(SourceError, match="KNOWLEDGE_CALIBRATION"):
        Calibration.load(tmp_path / "none.yaml")
