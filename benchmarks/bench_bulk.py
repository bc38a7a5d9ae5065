"""Breadth at national scale, on demand: the ~700 regulations of ../shared/corpus/bulk/ through the parser.

Usage: python benchmarks/bench_bulk.py [--bulk DIR] [--embed] [--list] [--distractors [SET.yaml …]]
Parse-only by default: files, documents parsed without warnings (goal ≥ 98 %), documents whose
parsed article count differs from the 第X条 headings of their text (listed), versions linked,
documents repealed by another document's text (「……《A》同时废止」; listed with --list), copies,
files left out, parse time and peak memory. --embed also builds the full index
(embedding every clause) into a temporary folder and reports its time and peak memory.
--distractors builds the shipped library WITH the bulk folder beside it into var/bench-bulk (kept: its
embedding cache makes a second run cheap) and reports the question sets named (default: the law tuning
sets) on the library alone and with the bulk as distractors (goal: hit@1 falls ≤ 0.05, out-of-scope
refusal unchanged), then the same results scored with the labels of benchmarks/bulk_labels.yaml (which bulk
regulations state a question's answer: made from the texts, see benchmarks/bulk_labels.py).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.bulk_labels import LABELS, labelled_figures, labelled_search, load_labels, plain
from knowledge.config import ROOT, KnowledgeSettings
from knowledge.layouts.law import article_count
from knowledge.sources import load_corpus, read_text

BULK = ROOT.parent / "shared" / "corpus" / "bulk"
GOAL = 0.98


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def article_mismatches(corpus, folder: Path) -> list[tuple[str, int, int]]:
    """Parsed documents → (file, 第X条 heading lines in the text, articles parsed) where the two differ."""
    parsed: dict[str, set[str]] = {}
    for c in corpus.clauses:
        if c.official and c.path and c.path[-1].startswith("第") and "条" in c.path[-1]:
            parsed.setdefault(c.source, set()).add(c.path[-1])
    out = []
    for f in corpus.files:
        if f.role == "parsed":
            expected = article_count(read_text(folder / f.source))
            got = len(parsed.get(f.source, ()))
            if expected != got:
                out.append((f.source, expected, got))
    return out


def parse_figures(folder: Path, show: bool) -> None:
    """Parse the bulk folder → print the breadth figures."""
    started = time.perf_counter()
    corpus = load_corpus(folder)
    seconds = time.perf_counter() - started
    parsed = [f for f in corpus.files if f.role == "parsed"]
    clean = [f for f in parsed if not f.warnings]
    warned = [f for f in corpus.files if f.warnings]
    repealed = {r.target for r in corpus.repeals}
    linked = [d for d in corpus.documents if d.superseded_by and d.doc_id not in repealed]
    mismatches = article_mismatches(corpus, folder)
    print(f"files {len(corpus.files)}: parsed {len(parsed)}, copies {sum(f.role == 'copy' for f in corpus.files)}, "
          f"duplicates {sum(f.role == 'duplicate' for f in corpus.files)}, left out {len(corpus.left_out)}")
    print(f"documents {len(corpus.documents)}, clauses {len(corpus.clauses)}, "
          f"no articles (一、/paragraph layout) {sum(not any(c.path[-1].endswith('条') for c in corpus.clauses if c.source == f.source) for f in parsed)}")
    share = len(clean) / len(corpus.files) if corpus.files else 0.0
    print(f"parsed without warnings: {len(clean)}/{len(corpus.files)} = {share:.1%} (goal ≥ {GOAL:.0%})")
    print(f"versions linked: {len(linked)} earlier versions point to the version in force "
          f"({len({d.superseded_by for d in linked})} documents with several versions)")
    repeal_figures(corpus, show)
    print(f"article count differs from 第X条 headings: {len(mismatches)}")
    for source, expected, got in mismatches:
        print(f"  {source}: {expected} headings, {got} articles parsed")
    if show or len(warned) <= 20:
        for f in warned:
            print(f"  {f.source}: {'; '.join(f.warnings)[:300]}")
    print(f"parse time {seconds:.1f} s, peak memory {peak_rss_mb():.0f} MB")


def repeal_figures(corpus, show: bool) -> None:
    """A parsed corpus → how many documents another document's text repealed (listed with --list)."""
    titles = {d.doc_id: f"《{d.title}》" for d in corpus.documents}
    print(f"repealed by another document's text: {len(corpus.repeals)} documents "
          f"(by {len({r.by for r in corpus.repeals})} documents in force)")
    if show:
        for r in corpus.repeals:
            print(f"  {r.target} {titles[r.target]} ← {r.clause_id} {titles[r.by]}")


def embed_figures(folder: Path) -> None:
    """Build the full index of the bulk folder in a temporary place → print time and peak memory."""
    from knowledge.embed import Embedder
    from knowledge.index import build_with_report

    with tempfile.TemporaryDirectory() as tmp:
        settings = KnowledgeSettings(sources_dir=folder, index_dir=Path(tmp))
        started = time.perf_counter()
        _, corpus = build_with_report(settings, Embedder(settings.model_path), progress=False)
        print(f"full build with embedding: {len(corpus.clauses)} clauses in {time.perf_counter() - started:.1f} s, "
              f"peak memory {peak_rss_mb():.0f} MB")


DISTRACTOR_INDEX = ROOT / "var" / "bench-bulk"
HIT_FALL_GOAL = 0.05  # issue 11 point 9: hit@1 may fall by no more than this when the bulk is added
DISTRACTOR_SETS = [ROOT / "benchmarks" / "laws_tune.yaml", ROOT / "benchmarks" / "laws_tune_colloquial.yaml"]


def distractor_figures(folder: Path, sets: list[Path]) -> None:
    """The library alone and with the bulk folder as distractors → a table of each set's figures on both,
    then the same results scored with benchmarks/bulk_labels.yaml (labelled_table)."""
    from knowledge.embed import Embedder
    from knowledge.evaluate import evaluate_system, load_questions, table
    from knowledge.index import build_with_report, ensure, load
    from knowledge.retrieve import Retriever

    embedder = Embedder(KnowledgeSettings().model_path)
    library = KnowledgeSettings()
    DISTRACTOR_INDEX.mkdir(parents=True, exist_ok=True)
    link = DISTRACTOR_INDEX / "library" / "sources"  # the bulk folder as the library's published files
    link.parent.mkdir(exist_ok=True)
    if not link.is_symlink():
        link.symlink_to(folder.resolve(), target_is_directory=True)
    bulk = KnowledgeSettings(index_dir=DISTRACTOR_INDEX / "index", library_dir=link.parent)
    started = time.perf_counter()
    _, corpus = build_with_report(bulk, embedder, progress=False)
    print(f"library + bulk: {len(corpus.documents)} documents, {len(corpus.clauses)} clauses, "
          f"built in {time.perf_counter() - started:.0f} s (embedding cache in {DISTRACTOR_INDEX}), peak memory {peak_rss_mb():.0f} MB")
    searches = {name: labelled_search(Retriever(index, embedder, settings))
                for name, settings, index in [("library", library, ensure(library, embedder)), ("library+bulk", bulk, load(bulk))]}
    rows = [evaluate_system(f"{name} {p.stem}", plain(search), load_questions(p)).row() for name, search in searches.items() for p in sets]
    print(table(rows))
    for alone, added, p in zip(rows, rows[len(sets):], sets):
        if not load_questions(p).cases:  # an out-of-scope-only set has no hit@1
            continue
        fall = alone["hit@1"] - added["hit@1"]
        print(f"{p.stem}: hit@1 falls by {fall:.3f} with the bulk (goal ≤ {HIT_FALL_GOAL}: {'met' if fall <= HIT_FALL_GOAL else 'not met'})")
    labelled_table(searches, sets, rows[: len(sets)])


def labelled_table(searches: dict, sets: list[Path], alone: list[dict]) -> None:
    """Each system's results re-scored with benchmarks/bulk_labels.yaml → a table and the goals on the labelled figures.

    Columns: in-scope hit@1/hit@3/doc@1 where a labelled bulk article (document for doc@1) also counts; the
    out-of-scope questions a bulk regulation answers (answered; cited@k = answered with a labelled article in
    the top k; a refusal is a miss); hit@1 over in-scope and bulk-answered together; the questions out of scope
    of library and bulk (refused). The library alone cannot cite the bulk: its cited@k is 0 by construction."""
    from knowledge.evaluate import load_questions, table

    labels = load_labels()
    rows = []
    for name, search in searches.items():
        for p in sets:
            own = {lab.q: lab for lab in labels if lab.set == p.name}
            rows.append(labelled_figures(f"{name} {p.stem}", search, load_questions(p), own))
    print(f"\nwith the bulk labels ({LABELS.name}: a labelled bulk article counts as a hit, bulk-answered questions as in scope):")
    print(table(rows))
    for before, after, p in zip(alone, rows[len(sets):], sets):
        if after["hit@1"] is not None:
            fall = before["hit@1"] - after["hit@1"]
            print(f"{p.stem}, labelled: hit@1 {before['hit@1']:.3f} alone → {after['hit@1']:.3f} with the bulk, falls by {fall:.3f} "
                  f"(goal ≤ {HIT_FALL_GOAL}: {'met' if fall <= HIT_FALL_GOAL else 'not met'})")
        if after["OOS refused"] is not None:
            print(f"{p.stem}, labelled: out of scope of library and bulk refused {after['OOS refused']:.3f} of {after['OOS n']} (goal 1.000)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bulk", type=Path, default=BULK)
    parser.add_argument("--embed", action="store_true", help="also build the full index (embedding costs minutes of CPU)")
    parser.add_argument("--list", action="store_true", help="list every file with warnings")
    parser.add_argument("--distractors", nargs="*", type=Path, help="question sets to report with the bulk as distractors")
    args = parser.parse_args()
    if args.distractors is not None:
        distractor_figures(args.bulk, args.distractors or DISTRACTOR_SETS)
        return
    parse_figures(args.bulk, args.list)
    if args.embed:
        embed_figures(args.bulk)


if __name__ == "__main__":
    main()
