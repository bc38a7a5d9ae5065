"""A serving process encodes questions with the torch threads its settings name (default one)."""

from __future__ import annotations

import sys
import types

import torch

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder


def test_model_load_applies_the_thread_setting(tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setitem(sys.modules, "sentence_transformers", types.SimpleNamespace(SentenceTransformer=lambda *a, **k: "model"))
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        assert Embedder(tmp_path).model == "model" and torch.get_num_threads() == 2  # 0: torch's default kept
        assert Embedder(tmp_path, threads=KnowledgeSettings().search_threads).model == "model"
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
