"""A short run of benchmarks/bench_scale.py: the recommended large-corpus index (IVF{nlist},SQ8,
nprobe=128) over 20 k synthetic clauses with the real ones hidden among them (the 1 M run is on demand)."""

import pytest

from benchmarks.bench_scale import run_one

pytestmark = [pytest.mark.integration, pytest.mark.model]  # 20 k vectors: too heavy for the unit tier


def test_ivf_sq8_finds_what_exact_search_finds():
    rows = {r["search"]: r for r in run_one("ivf_sq8", 20_000, 50)}
    assert set(rows) == {"nprobe=32", "nprobe=128", "nprobe=512"}
    assert rows["nprobe=128"]["recall@10"] >= 0.9, rows
    assert all(r["p95_ms"] > 0 and r["rss_mb"] > 0 for r in rows.values())
