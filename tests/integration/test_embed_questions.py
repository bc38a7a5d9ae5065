"""A question's vector from the embedder's short path equals sentence-transformers' own encode: the
index (built through encode) and the questions searched against it share one space."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.integration

QUESTIONS = ["失业了每个月能领多少失业金，我在广州", "招聘只要男的，這算歧視嗎", "社保法第16条", "a"]


def test_one_question_and_a_few_match_the_library_encode(embedder):
    expected = embedder.model.encode(QUESTIONS, normalize_embeddings=True, convert_to_numpy=True)
    together = embedder.encode(QUESTIONS)
    alone = np.stack([embedder.encode([q])[0] for q in QUESTIONS])
    assert together.dtype == np.float32 and together.shape == expected.shape
    assert np.abs(together - expected).max() < 1e-5 and np.abs(alone - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(alone, axis=1), 1.0, atol=1e-5)
