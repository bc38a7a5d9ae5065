"""Knowledge-engine speed and memory, on demand (never a timed test).

Usage: python benchmarks/bench_knowledge.py [--rounds 3]
Measures: index build time (from nothing, and again with the embedding cache), index load time (cold, in a fresh process) and model load time,
search latency p50/p95 for single queries and for batches, and resident memory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from knowledge.config import ROOT, KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.evaluate import DEFAULT_SETS, load_questions
from knowledge.index import build, load
from knowledge.retrieve import Retriever

COLD_LOAD = """
import time; t = time.perf_counter()
from knowledge.config import KnowledgeSettings; from knowledge.index import load
load(KnowledgeSettings(index_dir=r'{index_dir}')); print(time.perf_counter() - t)
"""


def rss_mb() -> float:
    """Resident set size of this process now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sets = [load_questions(path) for path in DEFAULT_SETS if path.exists()]  # the notice's and the laws' questions
    queries = [q for s in sets for q in [c.q for c in s.cases] + s.out_of_scope]
    index_dir = Path(tempfile.mkdtemp(prefix="bench-index-"))
    settings = KnowledgeSettings(index_dir=index_dir)

    t = time.perf_counter()
    embedder = Embedder(threads=settings.search_threads)  # as a serving process runs it
    embedder.encode(["预热"])
    model_load = time.perf_counter() - t
    t = time.perf_counter()
    build(settings, embedder, progress=False)
    build_s = time.perf_counter() - t
    shutil.rmtree(index_dir / "builds")  # the same sources again: only the embedding cache is left
    t = time.perf_counter()
    build(settings, embedder, progress=False)
    rebuild_s = time.perf_counter() - t
    cold = [float(subprocess.run([sys.executable, "-c", COLD_LOAD.format(index_dir=index_dir)], capture_output=True,
                                 text=True, cwd=ROOT, check=True).stdout) for _ in range(3)]
    retriever = Retriever(load(settings), embedder, settings)
    retriever.search_many(queries[:8])  # warm caches (idf, jieba dictionary)

    single, cpu = [], []  # wall time, and CPU time of the searching thread (torch runs on it: one serving thread)
    for _ in range(args.rounds):
        for q in queries:
            t, c = time.perf_counter(), time.thread_time()
            retriever.search(q, 5)
            single.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
    batch_per_query = []
    for _ in range(args.rounds):
        for i in range(0, len(queries), 32):
            chunk = queries[i : i + 32]
            t = time.perf_counter()
            retriever.search_many(chunk, 5)
            batch_per_query.append((time.perf_counter() - t) * 1000 / len(chunk))

    print(f"clauses indexed           {len(retriever.index.clauses)}")
    print(f"model load (incl. torch)  {model_load:.2f} s")
    print(f"index build               {build_s:.2f} s (model loaded; no cached vectors)")
    print(f"index rebuild             {rebuild_s:.2f} s (every clause's vector in the embedding cache)")
    print(f"index load, cold process  median {statistics.median(cold):.2f} s (runs: {', '.join(f'{c:.2f}' for c in cold)})")
    print(f"search, single query      p50 {percentile(single, .5):.1f} ms  p95 {percentile(single, .95):.1f} ms  (n={len(single)})")
    print(f"search, CPU time per query p50 {percentile(cpu, .5):.1f} ms  p95 {percentile(cpu, .95):.1f} ms  (load average {os.getloadavg()[0]:.1f})")
    print(f"search, batches of 32     p50 {percentile(batch_per_query, .5):.1f} ms/query  p95 {percentile(batch_per_query, .95):.1f} ms/query")
    print(f"resident memory           {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
