"""Evidence about the clause an answer quotes, not about the whole library: ranked candidates → the
answering clause's cosine and the candidates from its document.

A library of 700 regulations holds, somewhere, a clause close to almost any question and a clause that
mentions almost any concept (工伤, 医保, 退休年龄 …). Evidence taken over the whole library — the best
cosine of any clause, a concept found in any candidate — therefore rises with the library's size and
lets an answer quote a clause that only mentions the topic. Taken from the answer itself, it does not:
1. the confidence uses the cosine of the clause that would be quoted (the best in force), not the best
   cosine of any clause;
2. the key-concept check (knowledge/concepts.py) looks only at the candidates from the quoted clause's
   document: an answer from one document is stated only when that document holds the concept.
"""

from __future__ import annotations


def answering_cosine(dense: dict[int, float], shown: list[int], floor: float) -> float:
    """Cosines of the dense candidates, the ranked clause indices a citizen may be shown and the cosine
    given to clauses outside the dense candidates → the cosine of the clause that would be quoted."""
    return dense.get(shown[0], floor) if shown else floor


def same_document(candidates: list[tuple[str, str]]) -> list[str]:
    """Ranked candidates as (doc_id, words text) → the texts of those from the best candidate's document."""
    if not candidates:
        return []
    best = candidates[0][0]
    return [text for doc_id, text in candidates if doc_id == best]
