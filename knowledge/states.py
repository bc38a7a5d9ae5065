"""Evidence about the clause an answer quotes, not about the whole library: ranked candidates → the
candidates from the quoted clause's document.

A library of 700 regulations holds, somewhere, a clause close to almost any question and a clause that
mentions almost any concept (工伤, 医保, 退休年龄 …). Evidence taken over the whole library — the best
cosine of any clause, a concept found in any candidate — therefore rises with the library's size and
lets an answer quote a clause that only mentions the topic. The key-concept check (knowledge/concepts.py)
therefore looks only at the candidates from the quoted clause's document: an answer from one document is
stated only when that document holds the concept. (Using the quoted clause's cosine instead of the
library's best was tried: it refused everyday questions whose right clause scores a little lower.)
"""

from __future__ import annotations


def same_document(candidates: list[tuple[str, str]]) -> list[str]:
    """Ranked candidates as (doc_id, words text) → the texts of those from the best candidate's document."""
    if not candidates:
        return []
    best = candidates[0][0]
    return [text for doc_id, text in candidates if doc_id == best]
