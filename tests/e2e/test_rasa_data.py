"""The dialogue data: `rasa data validate` is clean and the story tests pass with --fail-on-prediction-errors."""

import os
import subprocess

import pytest

from server.launcher import RASA
from server.training import ROOT

pytestmark = pytest.mark.integration
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}


def rasa(*args, cwd=ROOT):
    return subprocess.run([str(RASA), *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=900)


def test_data_validates_without_warnings():
    out = rasa("data", "validate", "--fail-on-warnings", "--domain", "bot/domain", "--data", "data/nlu", "bot/data", "--config", "config.yml")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]


def test_story_tests_pass(rasa_model, tmp_path):
    out = rasa("test", "core", "--model", str(rasa_model), "--stories", "tests/stories", "--fail-on-prediction-errors",
               "--out", str(tmp_path), "--no-plot")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert not (tmp_path / "failed_test_stories.yml").exists() or "None of the test stories failed" in (tmp_path / "failed_test_stories.yml").read_text()
