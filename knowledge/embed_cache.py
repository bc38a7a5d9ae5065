"""Embedding cache: texts → vectors, computing only texts no earlier build of this model embedded.

A build re-embeds every clause although most are unchanged (a new source file, an edited synonym
or parser fix touches a few): embedding is nearly all of a build's CPU time. Vectors are kept per
model fingerprint in one .npz file under the index dir, keyed by the SHA-1 of the exact text, and
the file is rewritten (atomically) with the texts of the latest build only, so it never grows
beyond one library's size. A missing or unreadable cache only costs time.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors of texts already embedded by one model, stored in `folder`."""

    def __init__(self, folder: Path, embedder):
        self.embedder = embedder
        self.path = folder / f"embeddings-{hashlib.sha256(str(embedder.fingerprint).encode()).hexdigest()[:16]}.npz"

    def _read(self) -> dict[str, np.ndarray]:
        """→ {text digest: vector} from the cache file ({} when it is missing or unreadable)."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError) as exc:
            if self.path.exists():
                log.warning("%s: embedding cache unreadable (%s); embedding every text", self.path, exc)
            return {}

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Texts → (n, dim) float32 unit vectors; only texts not in the cache reach the model."""
        if not texts:
            return self.embedder.encode(texts)
        keys = [_digest(t) for t in texts]
        known = self._read()
        new = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
        if new:
            known.update(zip(new, self.embedder.encode(list(new.values()), progress=progress), strict=True))
        latest = list(dict.fromkeys(keys))
        self._write(latest, np.stack([known[k] for k in latest]).astype(np.float32))
        return np.stack([known[k] for k in keys]).astype(np.float32)

    def _write(self, keys: list[str], vectors: np.ndarray) -> None:
        """The latest build's digests and vectors → the cache file, replaced atomically."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                np.savez(f, keys=np.array(keys), vectors=vectors)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("%s: embedding cache not written (%s)", self.path, exc)
            tmp.unlink(missing_ok=True)
