"""Document step: fused clause scores → which document is asked about, then which article inside it.

With a large library the wrong DOCUMENT wins (many regulations mention 失业保险); inside the right
one a NEIGHBOURING article wins (every article of 失业保险条例 says 失业保险). So, after fusion:
1. each document among the candidates gets a score from its best clause and from how much of the
   question its title and chapter headings cover (evidence that does not grow with the number of
   documents); every clause moves by doc_weight × (its document's score − the best document's);
2. inside the leading document, clauses gain local_weight × their coverage of the question's words
   weighted by that document's OWN IDF: the word that tells its articles apart counts, the word all
   of them share (失业保险 in 失业保险条例) does not;
3. an article under 法律责任/罚则 restates the duty it punishes with more words, so it outranks the
   duty itself: it loses penalty_chapter_weight unless the question asks about a penalty;
4. a question asking for an age, an amount or a duration (knowledge/qtype.py) is answered by the clause that
   states that figure OF what was asked: clauses gain stated_weight × the question's word coverage of
   the one sentence part (between ，；。) that states such a figure (「失业金每个月多少」: 第十九条's
   「失业保险金…最低工资标准的百分之九十按月计发」, not 第二十条's 求职补贴 「标准为…百分之十五」); for an amount, a
   part naming 「X的标准」 counts too (a national law says who sets it: 社会保险法 第四十七条).
Weights are calibration data (knowledge/lexicon/calibration.yaml). Plain library: no model here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from knowledge.index import ARTICLE_LABEL
from knowledge.qtype import STATES
from knowledge.types import Clause

PENALTY_CHAPTER = re.compile(r"法律责任|罚\s*则")
FIGURE_KINDS = ("age", "amount", "duration")  # the question types whose answer is a figure a sentence part states
# What a sentence part must contain to state each kind of figure: knowledge/qtype.STATES, and for an amount also
# 「X的标准」 — 「失业保险金的标准，由省、自治区、直辖市人民政府确定」: where a law gives no figure, who sets the standard
# answers 「每个月能领多少」 (not 「按月发放」 nor 「能领几个月」, which m3e-small puts nearer).
PART_STATES = STATES | {"amount": re.compile(f"{STATES['amount'].pattern}|的标准")}
_PART = re.compile(r"[，,；;。\n]")
# A question about consequences (the synonyms turn 怎么处理/罚多少 into 法律责任/罚款).
PENALTY_ASKED = ("法律责任", "罚", "违法", "违反", "责任", "处分", "赔偿", "追究")
Words = list[tuple[float, list[str]]]  # a question's words: (IDF weight, forms that count as present)


@dataclass(frozen=True)
class DocWeights:
    """The document step's constants (fields of Calibration with the same names)."""

    doc_weight: float  # weight of (document score − best document score) in a clause's score
    doc_heading_weight: float  # weight, in a document's score, of the question's coverage by its title and chapters
    local_weight: float  # weight of a clause's coverage under its document's own IDF (leading document only)
    penalty_chapter_weight: float  # what a 法律责任 article loses when no penalty is asked about
    stated_weight: float = 0.0  # weight of the coverage of the sentence part stating the asked figure


class DocumentIndex:
    """Per document: its clauses' positions and word texts, its title plus chapter headings; per clause:
    whether it sits under a penalty chapter."""

    def __init__(self, doc_of: list[str], texts: list[str], headings: dict[str, str], penal: list[bool],
                 bodies: list[str] | None = None):
        """doc_of[i], texts[i], penal[i], bodies[i]: clause i's document id, word text, penalty-chapter flag and
        own text (default: its word text); headings: {doc_id: its title and chapter headings}."""
        self.doc_of, self.texts, self.headings, self.penal = doc_of, texts, headings, penal
        self.bodies = bodies if bodies is not None else texts
        self.members: dict[str, list[int]] = {}
        for i, d in enumerate(doc_of):
            self.members.setdefault(d, []).append(i)

    @classmethod
    def of(cls, clauses: list[Clause], titles: dict[str, str], texts: list[str]) -> "DocumentIndex":
        """An index's clauses, {doc_id: title} and clause word texts → the step's tables (chapter headings
        are a clause path's entries that are not 第X条)."""
        headings = dict(titles)
        for c in clauses:
            for h in c.path:
                if not ARTICLE_LABEL.match(h) and h not in headings.get(c.doc_id, ""):
                    headings[c.doc_id] = headings.get(c.doc_id, "") + h
        penal = [any(PENALTY_CHAPTER.search(h) for h in c.path if not ARTICLE_LABEL.match(h)) for c in clauses]
        return cls([c.doc_id for c in clauses], texts, headings, penal, [c.text for c in clauses])

    def rerank(self, fused: dict[int, float], words: Words, weights: DocWeights, kind: str | None = None) -> dict[int, float]:
        """Candidates' fused scores, the question's words and type (knowledge/qtype.py) → new scores for the
        same candidates."""
        if not fused or not words:
            return fused
        scores = self.document_scores(fused, words, weights)
        best = max(scores.values())
        leading = max(scores, key=scores.get)
        local = self.local_coverage(leading, words, fused) if weights.local_weight else {}
        penalty = 0.0 if asks_penalty(words) else weights.penalty_chapter_weight
        figure = weights.stated_weight if kind in FIGURE_KINDS else 0.0
        stated = {i: stated_coverage(kind, words, self.bodies[i]) for i in fused} if figure else {}
        return {i: s + weights.doc_weight * (scores[self.doc_of[i]] - best) + weights.local_weight * local.get(i, 0.0)
                - penalty * self.penal[i] + figure * stated.get(i, 0.0)
                for i, s in fused.items()}

    def document_scores(self, fused: dict[int, float], words: Words, weights: DocWeights) -> dict[str, float]:
        """Candidates' scores → {doc_id: its best clause + doc_heading_weight × heading coverage}."""
        best: dict[str, float] = {}
        for i, s in fused.items():
            d = self.doc_of[i]
            best[d] = max(best.get(d, s), s)
        return {d: b + weights.doc_heading_weight * coverage(words, self.headings.get(d, "")) for d, b in best.items()}

    def local_coverage(self, doc_id: str, words: Words, among: dict[int, float]) -> dict[int, float]:
        """A document, the question's words and the candidates → {candidate of that document: its share of
        the question's words present in the document, each weighted by the document's own IDF}."""
        members = self.members.get(doc_id, [])
        present = [[any(f in self.texts[i] for f in forms) for i in members] for _, forms in words]
        n = len(members)
        idf = [math.log((n + 1) / (sum(p) + 0.5)) if any(p) else 0.0 for p in present]
        total = sum(idf)
        if total <= 0:
            return {}
        return {i: sum(w for w, p in zip(idf, present, strict=True) if p[k]) / total
                for k, i in enumerate(members) if i in among}


def asks_penalty(words: Words) -> bool:
    """A question's words (with their synonym forms) → whether it asks about a penalty or liability."""
    return any(a in f for _, forms in words for f in forms for a in PENALTY_ASKED)


def stated_coverage(kind: str, words: Words, text: str) -> float:
    """A question type, its words and a clause's text → the best word coverage of a sentence part (between
    ，；。) that states that kind of figure; 0 when no part does."""
    return max((coverage(words, part) for part in _PART.split(text) if PART_STATES[kind].search(part)), default=0.0)


def coverage(words: Words, text: str) -> float:
    """Weighted query words and a text → the weighted share of words present in the text."""
    total = sum(w for w, _ in words)
    return sum(w for w, forms in words if any(f in text for f in forms)) / total if total else 0.0
