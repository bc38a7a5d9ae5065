"""A build encodes with every core; a serving process's question keeps its own thread count."""

from __future__ import annotations

import os

import pytest

from knowledge.embed import Embedder


@pytest.fixture
def embedder(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    return Embedder(tmp_path, threads=1)


def test_bulk_encoding_uses_every_core_then_restores_the_serving_count(embedder):
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    with embedder._every_core(True):
        inside = torch.get_num_threads()
    assert (inside, torch.get_num_threads()) == (len(os.sched_getaffinity(0)), 1)


def test_a_single_question_keeps_the_serving_count(embedder):
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    with embedder._every_core(False):
        assert torch.get_num_threads() == 1
