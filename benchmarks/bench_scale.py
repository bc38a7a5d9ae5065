"""Index scale, on demand: FAISS index types over 10 k / 100 k / 1 M clauses → build time, memory,
search p50/p95 and recall@10 against exact search.

Usage: python benchmarks/bench_scale.py [--sizes 10000 100000 1000000] [--queries 200]

Synthetic corpus: the real clause vectors are hidden among vectors drawn around them (each a
real clause vector plus Gaussian noise, renormalised), so the neighbourhoods are as crowded as a
national corpus of similar policy sentences would be — harder than uniform random vectors.
Queries are real question embeddings. Each index type runs in its own process so resident
memory is measured per type.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TYPES = {  # name → FAISS factory string and the search-time settings swept over one build
    "flat": ("Flat", [""]),
    "hnsw32": ("HNSW32", ["efSearch=128", "efSearch=256"]),
    "hnsw32_sq8": ("HNSW32,SQ8", ["efSearch=128", "efSearch=256", "efSearch=512"]),
    "hnsw32_fp16": ("HNSW32,SQfp16", ["efSearch=256", "efSearch=512"]),
    "ivf_sq8": ("IVF{nlist},SQ8", ["nprobe=32", "nprobe=128", "nprobe=512"]),
    "ivf_pq64_refine": ("IVF{nlist},PQ64,RFlat", ["nprobe=128,k_factor_rf=4"]),
}


def vectors(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """→ (n corpus vectors with the real clauses among them, real query vectors)."""
    cache = Path("/tmp/bench-scale-real.npz")
    if not cache.exists():
        sys.path.insert(0, str(ROOT))
        from knowledge.embed import Embedder
        from knowledge.evaluate import load_questions
        from knowledge.index import clause_text_for_search
        from knowledge.sources import load_corpus

        embedder = Embedder()
        corpus = load_corpus(ROOT / "data" / "policies")
        real = embedder.encode([clause_text_for_search(c) for c in corpus.clauses])
        qs = load_questions(ROOT / "benchmarks" / "questions.yaml")
        queries = embedder.encode([c.q for c in qs.cases] + qs.out_of_scope)
        np.savez(cache, real=real, queries=queries)
    data = np.load(cache)
    real, queries = data["real"], data["queries"]
    rng = np.random.default_rng(seed)
    base = real[rng.integers(0, len(real), n - len(real))]
    noise = rng.normal(0, 0.035, base.shape).astype(np.float32)
    corpus = np.concatenate([real, base + noise]).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    return corpus, queries.astype(np.float32)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_one(kind: str, n: int, n_queries: int) -> list[dict]:
    """One index type at one size (in this process), built once → figures per search setting."""
    import faiss

    corpus, queries = vectors(n)
    queries = np.resize(queries, (n_queries, queries.shape[1]))
    exact = faiss.IndexFlatIP(corpus.shape[1])
    exact.add(corpus)
    _, truth = exact.search(queries, 10)
    del exact
    factory, sweep = TYPES[kind]
    nlist = max(64, int(4 * np.sqrt(n)))
    index = faiss.index_factory(corpus.shape[1], factory.format(nlist=nlist), faiss.METRIC_INNER_PRODUCT)
    started = time.perf_counter()
    if not index.is_trained:
        sample = min(n, 64 * nlist, 100_000)  # enough for the coarse quantizer and PQ codebooks
        index.train(corpus[np.random.default_rng(1).choice(n, sample, replace=False)])
    index.add(corpus)
    build_s = time.perf_counter() - started
    del corpus
    rows = []
    for setting in sweep:
        if setting:
            faiss.ParameterSpace().set_index_parameters(index, setting)  # what KNOWLEDGE_INDEX_SEARCH does
        latencies, found = [], []
        for q in queries:
            t = time.perf_counter()
            _, ids = index.search(q[None, :], 10)
            latencies.append((time.perf_counter() - t) * 1000)
            found.append(ids[0])
        recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))
        lat = sorted(latencies)
        rows.append({"type": kind, "factory": factory.format(nlist=nlist), "search": setting or "-", "n": n,
                     "build_s": round(build_s, 1), "rss_mb": round(rss_mb()),  # the corpus copy is freed: RSS = index + runtime
                     "p50_ms": round(lat[len(lat) // 2], 2), "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 2),
                     "recall@10": round(recall, 3)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--types", nargs="+", default=list(TYPES))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--one", nargs=2)  # internal: run one (type, size) in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.queries)))  # one line: a list of rows
        return
    vectors(1000)  # compute and cache the real vectors once
    print("| factory | search | clauses | build s | process RSS MB | p50 ms | p95 ms | recall@10 |\n"
          "|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        for kind in args.types:
            if kind == "flat" and n > 100_000:
                continue  # exact search at 1 M is the baseline other types are measured against
            out = subprocess.run([sys.executable, __file__, "--one", kind, str(n), "--queries", str(args.queries)],
                                 capture_output=True, text=True)
            if out.returncode:
                print(f"| {kind} | {n} | failed: {out.stderr.strip().splitlines()[-1]} |")
                continue
            for r in json.loads(out.stdout.strip().splitlines()[-1]):
                print(f"| {r['factory']} | {r['search']} | {r['n']:,} | {r['build_s']} | {r['rss_mb']} "
                      f"| {r['p50_ms']} | {r['p95_ms']} | {r['recall@10']} |", flush=True)


if __name__ == "__main__":
    main()
