"""The calibration file: read as data, and every fault named by file and key."""

from __future__ import annotations

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.errors import SourceError
from knowledge.retrieve import Calibration, confidence

GOOD = ("bm25_weight: 0.1\nclause_coverage_weight: 0.4\ncoverage_weight: 0.2\noov_weight: 0.04\ngap_weight: 0.5\nthreshold: 0.8\n"
        "doc_weight: 0.0\ndoc_heading_weight: 0.3\nlocal_weight: 0.05\npenalty_chapter_weight: 0.1\nstated_weight: 0.15\n"
        "asked_weight: 0.75\nasked_second_weight: 0.5\nasked_answer_weight: 0.4\nrelated_threshold: 0.7\nelsewhere_weight: 1.0\n")


def test_the_shipped_calibration_loads():
    cal = Calibration.load(KnowledgeSettings().calibration)
    assert 0 < cal.related_threshold <= cal.threshold < 5 and cal.bm25_weight >= 0


def test_values_come_from_the_file(tmp_path):
    path = tmp_path / "calibration.yaml"
    path.write_text(GOOD)
    cal = Calibration.load(path)
    assert cal.threshold == 0.8 and cal.documents.local_weight == 0.05
    assert confidence({"cosine": 0.7, "coverage": 0.5, "oov": 0.5, "gap": 0.2, "asked": 0.9}, cal) == pytest.approx(0.7 + 0.1 - 0.02 + 0.1 + 0.36)
    # nearer by 0.05 to a question answered elsewhere than to any a clause answers: 0.05 less
    assert confidence({"cosine": 0.7, "coverage": 0.5, "oov": 0.5, "gap": 0.2, "asked": 0.9, "elsewhere": 0.05}, cal) == \
        pytest.approx(0.7 + 0.1 - 0.02 + 0.1 + 0.36 - 0.05)


@pytest.mark.parametrize("text, key", [
    (GOOD.replace("threshold: 0.8\n", ""), "threshold"),
    (GOOD.replace("oov_weight: 0.04", "oov_weight: high"), "oov_weight"),
    (GOOD.replace("local_weight: 0.05\n", ""), "local_weight"),
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
