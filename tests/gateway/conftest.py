"""Gateway-level tests run on the fake embedder: the routes, guards and channels are under test here,
not retrieval quality (tests/integration holds those on the real model)."""

import pytest


@pytest.fixture(scope="session")
def retriever(fake_retriever):
    return fake_retriever
