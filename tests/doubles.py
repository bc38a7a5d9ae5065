"""Test doubles shared by every tier: a deterministic embedder that needs no model."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np


class FakeEmbedder:
    """Texts → unit vectors from hashed character uni- and bigrams: same text, same vector; shared
    characters, nearby vectors. Enough for retrieval plumbing; never for quality figures."""

    dim = 256
    path = Path("fake-embedder")
    fingerprint = "fake-embedder-v1"

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Texts → (n, dim) float32 array of unit vectors."""
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for gram in grams:
                vectors[row, int(hashlib.blake2b(gram.encode(), digest_size=4).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)
