"""A short version of benchmarks/bench_load.py: chat, search and WeChat users at once against the
real stack, with zero errors (the 10-minute run and its figures are on demand)."""

import asyncio

import pytest

from benchmarks.load_mix import run_mix
from tests.e2e.conftest import WECHAT_TOKEN

pytestmark = pytest.mark.integration


def test_mixed_load_has_no_errors(gateway):
    result = asyncio.run(run_mix(gateway, {"chat": 3, "search": 1, "wechat": 2}, 15, WECHAT_TOKEN))
    assert all(r["requests"] > 0 for r in result.values()), result
    assert {kind: r["errors"] for kind, r in result.items()} == {"chat": 0, "search": 0, "wechat": 0}
