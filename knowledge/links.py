"""Staff curations applied to retrieval: a search result → the same result, re-ranked by a question → clause link
(问题关联) or turned into a pointer elsewhere by a "not covered" mark, when the question is close to a curated one.

A curation holds the citizens' questions it was made for (a gap group). A new question matches it when its
vector (the cleaned question, no synonym expansion) lies within MATCH_COSINE of one of those questions: most paraphrases are above it with m3e-small,
questions of another topic that share only the question form (「…怎么申请」) below: a missed paraphrase is refused
as before, a wrong match would quote the wrong clause. A link to a clause
that is no longer in the index, or whose text changed since it was linked, is stale: it is not applied and
staff see it flagged for review. The curations come from the records store (`load`), re-read
when its revision changes (checked on every question unless `check_every_s` says otherwise: one indexed read),
so servers follow edits without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from knowledge.types import Clause, Hit, SearchResult

log = logging.getLogger(__name__)
LINK, UNCOVERED = "link", "uncovered"
MAX_CHARS = 500  # a curated or asked question is compared on its first characters
MATCH_COSINE = 0.89  # question ↔ curated question; docs/design.md "Knowledge gaps" says how it was chosen
LINK_MARGIN = 0.1  # a linked clause ranks this far above the best retrieved one: it is quoted alone
NOT_COVERED_LEAD = "很抱歉，现有的政策文件没有写明这个问题，我不能凭猜测回答。"  # a staff mark or a topic answered elsewhere


@dataclass(frozen=True)
class Curation:
    """One staff decision: questions → a clause (link) or → a pointer (not covered)."""

    id: int
    kind: str  # LINK | UNCOVERED
    questions: tuple[str, ...]
    clause_id: str = ""  # LINK: the clause that answers them
    clause_text: str = ""  # LINK: its text when it was linked (a change flags the link for review)
    pointer: str = ""  # UNCOVERED: where the citizen should turn instead


def pointer_reply(pointer: str) -> str:
    """A "not covered" mark's pointer → what the citizen reads."""
    return f"{NOT_COVERED_LEAD}{pointer}"


def review_reason(curation: Curation, clauses: dict[str, Clause]) -> str:
    """A curation and the index's clauses by id → why staff must review it ('' when it is fine)."""
    if curation.kind != LINK:
        return ""
    clause = clauses.get(curation.clause_id)
    if clause is None:
        return "关联的条款已不在现行文件库中"
    if clause.text != curation.clause_text:
        return "关联条款的文字已变更"
    return ""


class Curator:
    """revision() → a token that changes with every edit, load() → the curations; apply() puts them to work."""

    def __init__(self, revision: Callable[[], object], load: Callable[[], list[Curation]], check_every_s: float = 0.0,
                 match_cosine: float = MATCH_COSINE):
        self._revision_of, self._load = revision, load
        self._check_every_s, self.match_cosine = check_every_s, match_cosine
        self._revision: object = None
        self._curations: list[Curation] = []
        self._checked = float("-inf")
        self._vectors: tuple = (None, "", None, [])  # (curations list, embedder fingerprint, vectors, owner rows)
        self._lock = threading.Lock()
        self._clauses: tuple[str, dict[str, Clause]] = ("", {})

    def curations(self) -> list[Curation]:
        """→ the current curations (re-read when the source's revision changed)."""
        now = time.monotonic()
        if now - self._checked >= self._check_every_s:
            self._checked = now
            try:
                revision = self._revision_of()
                if revision != self._revision:
                    curations = self._load()
                    with self._lock:
                        self._revision, self._curations = revision, curations
            except Exception:  # a locked or broken records file must not fail a citizen's answer
                log.exception("curations could not be read; applying the %d last read", len(self._curations))
        return self._curations

    def match(self, questions: list[str], retriever) -> list[tuple[Curation | None, float]]:
        """Questions → for each, the closest curation within match_cosine (or None) and its cosine."""
        curations = self.curations()
        if not curations or not questions:
            return [(None, 0.0)] * len(questions)
        return self._nearest(curations, _encode(questions, retriever), retriever)

    def nearest(self, vectors: np.ndarray, retriever) -> list[tuple[Curation | None, float]]:
        """Vectors of cleaned questions (as _encode makes them) → as match()."""
        curations = self.curations()
        if not curations or not len(vectors):
            return [(None, 0.0)] * len(vectors)
        return self._nearest(curations, vectors, retriever)

    def _nearest(self, curations: list[Curation], vectors: np.ndarray, retriever) -> list[tuple[Curation | None, float]]:
        stored, owners = self._curated_vectors(curations, retriever)
        sims = vectors @ stored.T
        best = sims.argmax(axis=1)
        return [(curations[owners[b]] if sims[r, b] >= self.match_cosine else None, float(sims[r, b]))
                for r, b in enumerate(best)]

    def apply(self, result: SearchResult, retriever) -> SearchResult:
        """A search result and the retriever that made it → the result with a matching curation applied."""
        if result.vector is None or not self.curations():  # nothing searchable (punctuation, emoji), or nothing curated
            return result
        (curation, _), = self.match([result.query], retriever)
        if curation is None:
            return result
        if curation.kind == UNCOVERED:
            return replace(result, answerable=False, pointer=curation.pointer, missing_concepts=[], related=False)
        return self._linked(result, curation, retriever)

    def _linked(self, result: SearchResult, curation: Curation, retriever) -> SearchResult:
        """The linked clause first (alone above the margin), the rest as retrieved; a stale link changes nothing."""
        clauses = self._clauses_of(retriever.index)
        if review_reason(curation, clauses):
            return result
        clause = clauses[curation.clause_id]
        doc = retriever.index.by_id.get(clause.doc_id)
        top = max((h.score for h in result.hits), default=0.0)
        linked = Hit(clause, doc.title if doc else "", top + LINK_MARGIN, doc.status if doc else "")
        rest = [h for h in result.hits if h.clause.clause_id != clause.clause_id]
        return replace(result, answerable=True, missing_concepts=[], pointer="", related=False,
                       hits=[linked, *rest][: max(len(result.hits), 1)])

    def _clauses_of(self, index) -> dict[str, Clause]:
        """An index → its clauses by id (cached per index build)."""
        if self._clauses[0] != index.key:
            self._clauses = (index.key, {c.clause_id: c for c in index.clauses})
        return self._clauses[1]

    def _curated_vectors(self, curations: list[Curation], retriever) -> tuple[np.ndarray, list[int]]:
        """→ every curated question's vector and the row of the curation it belongs to (embedded once per revision)."""
        with self._lock:
            held, fingerprint, vectors, owners = self._vectors
            if held is not curations or fingerprint != retriever.embedder.fingerprint:
                owners = [row for row, c in enumerate(curations) for _ in c.questions]
                vectors = _encode([q for c in curations for q in c.questions], retriever)
                self._vectors = (curations, retriever.embedder.fingerprint, vectors, owners)
            return vectors, owners


def _encode(questions: list[str], retriever) -> np.ndarray:
    """Questions → unit vectors of what the citizen wrote (cleaned, without the retriever's synonym expansion): a
    link matches questions, and must not drift when the synonym lexicon grows (an expanded 「下岗」 moved a curated
    question from 0.897 to 0.878 of its paraphrase). One extra encoding per question, only when curations exist."""
    return retriever.embedder.encode([retriever.prepare(q[:MAX_CHARS])[0] for q in questions])
