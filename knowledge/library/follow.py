"""Replicas follow the library: with a shared store (PostgreSQL) each process compares the library's current
build key with its own `current` and, when they differ, unpacks the stored build into its index folder and
swaps `current` (its LiveRetriever then loads it). No process re-embeds anything."""

from __future__ import annotations

import io
import logging
import os
import shutil
import tarfile
import tempfile

from knowledge.config import KnowledgeSettings
from knowledge.index import _point_current, _prune
from knowledge.library.store import LibraryStore

log = logging.getLogger(__name__)


class Follower:
    """Callable: one check of the shared store (LiveRetriever's `follow` hook)."""

    def __init__(self, settings: KnowledgeSettings, store: LibraryStore | None = None):
        self.settings = settings
        self.store = store or LibraryStore(settings)
        self._seen: str | None = None

    def __call__(self) -> bool:
        """→ True when the library's build changed since the last check and was unpacked and made current.
        Only a change is followed: the process publishing swaps `current` itself before its change commits."""
        _, key = self.store.version()
        if not key or key == self._seen:
            return False
        self._seen = key
        if _current_name(self.settings) == key:
            return False
        data = self.store.build(key)
        if data is None:
            log.warning("library build %s is not in the store any more; a newer one will be", key)
            return False
        builds = self.settings.index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        final = builds / key
        if not final.exists():
            tmp = tempfile.mkdtemp(prefix=".tmp-", dir=builds)
            try:
                with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                    tar.extractall(tmp, filter="data")  # no absolute paths, links out or devices
                os.replace(tmp, final)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        _point_current(self.settings.index_dir, final)
        _prune(builds, keep={final.name}, count=self.settings.keep_builds)
        log.info("library build %s made current", key)
        return True


def _current_name(settings: KnowledgeSettings) -> str | None:
    try:
        return os.path.basename(os.readlink(settings.index_dir / "current"))
    except OSError:
        return None
