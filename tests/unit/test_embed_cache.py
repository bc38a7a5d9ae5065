"""The embedding cache: unchanged texts are not embedded again, and a bad cache file costs only time."""

from __future__ import annotations

import numpy as np

from knowledge.embed_cache import EmbeddingCache
from tests.doubles import FakeEmbedder


class CountingEmbedder(FakeEmbedder):
    """FakeEmbedder that records every text it was asked to embed."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts, progress=False):
        self.seen += list(texts)
        return super().encode(texts, progress)


def test_second_build_embeds_only_new_texts_and_returns_the_same_vectors(tmp_path):
    first, second = CountingEmbedder(), CountingEmbedder()
    before = EmbeddingCache(tmp_path, first).encode(["第一条 甲", "第二条 乙", "第一条 甲"])
    after = EmbeddingCache(tmp_path, second).encode(["第二条 乙", "第三条 丙", "第一条 甲"])
    assert first.seen == ["第一条 甲", "第二条 乙"]
    assert second.seen == ["第三条 丙"]
    assert np.array_equal(after[0], before[1]) and np.array_equal(after[2], before[0])
    assert np.allclose(after, FakeEmbedder().encode(["第二条 乙", "第三条 丙", "第一条 甲"]))


def test_cache_keeps_only_the_latest_texts_and_is_per_model(tmp_path):
    EmbeddingCache(tmp_path, CountingEmbedder()).encode(["甲", "乙"])
    EmbeddingCache(tmp_path, CountingEmbedder()).encode(["丙"])
    again = CountingEmbedder()
    EmbeddingCache(tmp_path, again).encode(["甲", "丙"])
    assert again.seen == ["甲"]
    other = CountingEmbedder()
    other.fingerprint = "another-model"
    EmbeddingCache(tmp_path, other).encode(["丙"])
    assert other.seen == ["丙"]


def test_corrupt_cache_file_is_ignored_and_replaced(tmp_path):
    cache = EmbeddingCache(tmp_path, CountingEmbedder())
    cache.path.write_bytes(b"not a numpy file")
    vectors = cache.encode(["甲"])
    assert cache.embedder.seen == ["甲"] and vectors.shape == (1, FakeEmbedder.dim)
    fresh = CountingEmbedder()
    EmbeddingCache(tmp_path, fresh).encode(["甲"])
    assert fresh.seen == []
