"""A serving process encodes questions with the torch threads its settings name (default one); a build
encodes with every core and gives the serving count back."""

from __future__ import annotations

import os
import sys
import types

import pytest
import torch

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder


class FakeModel:
    """Stands for a loaded SentenceTransformer: eval() returns the model itself, as torch modules do."""

    def eval(self):
        return self


def test_model_load_applies_the_thread_setting(tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    model = FakeModel()
    monkeypatch.setitem(sys.modules, "sentence_transformers", types.SimpleNamespace(SentenceTransformer=lambda *a, **k: model))
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        assert Embedder(tmp_path).model is model and torch.get_num_threads() == 2  # 0: torch's default kept
        assert Embedder(tmp_path, threads=KnowledgeSettings().search_threads).model is model
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


@pytest.fixture
def embedder(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    return Embedder(tmp_path, threads=1)


def test_bulk_encoding_uses_every_core_then_restores_the_serving_count(embedder):
    torch.set_num_threads(1)
    with embedder._every_core(True):
        inside = torch.get_num_threads()
    assert (inside, torch.get_num_threads()) == (len(os.sched_getaffinity(0)), 1)


def test_a_single_question_keeps_the_serving_count(embedder):
    torch.set_num_threads(1)
    with embedder._every_core(False):
        assert torch.get_num_threads() == 1
