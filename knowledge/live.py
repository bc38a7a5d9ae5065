"""A retriever that follows re-indexing: when `python -m knowledge build` swaps the `current`
symlink, the next call notices (one readlink, at most every `check_every_s`), loads the new build
in a background thread and swaps it in; calls meanwhile keep using the previous build, so a
re-index while serving fails no request. A new build that does not load is logged and skipped.
`poll()` makes a background thread do the check every second, so an idle process (the action server
between questions) is already on the new build when the next question comes; `follow` is a callable
run before each check (a replica fetching the document library's current build from PostgreSQL).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from collections.abc import Callable

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.index import load
from knowledge.retrieve import Retriever

log = logging.getLogger(__name__)


class LiveRetriever:
    """Retriever-shaped: every attribute is the current Retriever's (search, index, lexicon, …)."""

    def __init__(self, retriever: Retriever, settings: KnowledgeSettings, embedder: Embedder, check_every_s: float = 1.0,
                 follow: Callable[[], None] | None = None):
        self._retriever, self._settings, self._embedder = retriever, settings, embedder
        self._target, self._checked, self._check_every_s = self._link_target(), time.monotonic(), check_every_s
        self._loading = threading.Lock()
        self._follow = follow

    def poll(self) -> LiveRetriever:
        """Check for a new build every check_every_s in a daemon thread, requests or not → self."""
        def loop() -> None:
            while True:
                time.sleep(self._check_every_s)
                self._maybe_reload()

        threading.Thread(target=loop, name="index-poll", daemon=True).start()
        return self

    def __getattr__(self, name: str):
        self._maybe_reload()
        return getattr(self._retriever, name)

    @property
    def key(self) -> str:
        """The key of the build now serving."""
        return self._retriever.index.key

    def _link_target(self) -> str | None:
        try:
            return os.readlink(self._settings.index_dir / "current")
        except OSError:
            return None

    def _maybe_reload(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_every_s:
            return
        self._checked = now
        if self._follow is not None:
            if self._loading.acquire(blocking=False):
                threading.Thread(target=self._follow_and_reload, name="index-follow", daemon=True).start()
            return
        target = self._link_target()
        if target and target != self._target and self._loading.acquire(blocking=False):
            threading.Thread(target=self._reload, args=(target,), name="index-reload", daemon=True).start()

    def _follow_and_reload(self) -> None:
        """Run the follow hook (it may swap `current`), then load a new target (holding the loading lock)."""
        try:
            self._follow()
        except Exception:
            log.exception("following the library's current build failed; still serving %s", self.key)
        target = self._link_target()
        if target and target != self._target:
            self._reload(target)
        else:
            self._loading.release()

    def refresh(self) -> None:
        """Serve the build `current` points to now, loaded in this thread (a publish's own process: the editor's
        next listing already shows it)."""
        target = self._link_target()
        if target and target != self._target:
            with self._loading:  # after any background load in progress
                if target != self._target:
                    self._swap(target)

    def _reload(self, target: str) -> None:
        """Load the build `current` now points to and swap it in; releases the loading lock."""
        try:
            self._swap(target)
        finally:
            self._loading.release()

    def _swap(self, target: str) -> None:
        """Load a build and swap it in (one reference assignment); a build that does not load is logged and skipped."""
        try:
            fresh = Retriever(load(self._settings), self._embedder, self._settings)
            fresh.warm_up()  # its lazy tables load before it serves anyone
            self._retriever, self._target = fresh, target
            log.info("index swapped in: %s (%d clauses)", fresh.index.key, len(fresh.index.clauses))
        except Exception:
            self._target = target  # do not retry a broken build on every call; the next build is tried
            log.exception("new index build %s could not be loaded; still serving %s", target, self.key)
