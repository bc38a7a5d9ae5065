"""The ranking features of (question, candidate clause) pairs: what each column measures, and that the
fused score is their weighted sum with the calibration's weights."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.retrieve import FEATURES


@pytest.fixture(scope="module")
def ranked(fake_retriever):
    clean, dense_text, tokens = fake_retriever.prepare("就业促进法第二十七条讲妇女平等就业")
    vector = fake_retriever.embedder.encode([dense_text])
    candidates, features, _ = fake_retriever.candidates(clean, vector, tokens)
    return fake_retriever, clean, candidates, dict(zip(FEATURES, features.T, strict=True))


def test_named_article_and_document_are_flags_of_that_law_only(ranked):
    retriever, _, candidates, f = ranked
    clauses = [retriever.index.clauses[i] for i in candidates]
    titles = [retriever.index.by_id[c.doc_id].title for c in clauses]
    named = [t == "中华人民共和国就业促进法" for t in titles]
    assert list(f["document_named"] == 1.0) == named
    assert {c.path[-1] for c, a in zip(clauses, f["article_named"], strict=True) if a} == {"第二十七条"}


def test_document_scores_are_the_best_of_its_candidates(ranked):
    retriever, _, candidates, f = ranked
    docs = np.array([retriever.index.clauses[i].doc_id for i in candidates])
    for d in set(docs):
        assert np.all(f["document_cosine"][docs == d] == f["cosine"][docs == d].max())
        assert np.all(f["document_coverage"][docs == d] == f["clause_coverage"][docs == d].max())


def test_text_coverage_counts_the_clause_text_alone(ranked):
    _, _, _, f = ranked
    assert np.all(f["text_coverage"] <= f["clause_coverage"] + 1e-9)  # headings and title only add words
    assert np.all((0 <= f["clause_coverage"]) & (f["clause_coverage"] <= 1))


def test_the_hits_are_scored_by_the_weighted_features(ranked):
    retriever, clean, candidates, f = ranked
    result = retriever.search(clean, 3)
    matrix = np.column_stack([f[name] for name in FEATURES])
    scores = dict(zip(candidates, matrix @ retriever.calibration.ranking_vector(), strict=True))
    best = retriever.index.clauses.index(result.hits[0].clause)
    assert result.hits[0].score == pytest.approx(scores[best]) and scores[best] == pytest.approx(max(scores.values()))
