"""Command line: python -m knowledge {build, search, show, eval}.

Exit codes: 0 ok, 1 operator error (sources, index, model), 2 bad usage or bad query.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from knowledge.config import KnowledgeSettings
from knowledge.errors import KnowledgeError, QueryError


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run one command → exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.command == "build" else logging.WARNING, format="%(message)s")
    try:
        return args.run(args)
    except QueryError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description="Policy clause index and search.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="(re)build the index from the sources")
    p.set_defaults(run=_build)
    p = sub.add_parser("search", help="search clauses; with no query, read one query a line from stdin")
    p.add_argument("query", nargs="?")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--json", action="store_true", help="JSON output (always on for stdin batches)")
    p.set_defaults(run=_search)
    p = sub.add_parser("show", help="show one clause with its context and version notes")
    p.add_argument("clause_id")
    p.set_defaults(run=_show)
    p = sub.add_parser("eval", help="retrieval quality on question files, with two naive baselines")
    p.add_argument("questions", nargs="*", type=Path, help="question files (default: every evaluation set)")
    p.add_argument("--misses", action="store_true", help="also list this system's misses and wrong decisions")
    p.set_defaults(run=_eval)
    return parser


def _build(args) -> int:
    from knowledge.embed import Embedder
    from knowledge.index import build

    settings = KnowledgeSettings()
    started = time.perf_counter()
    folder = build(settings, Embedder(settings.model_path), progress=sys.stderr.isatty())
    manifest = json.loads((folder / "manifest.json").read_text())
    print(f"index {folder} ({manifest['clauses']} clauses, {', '.join(manifest['documents'])}) in {time.perf_counter() - started:.1f} s")
    return 0


def _search(args) -> int:
    from knowledge.service import open_retriever

    if args.top_k < 1 or args.top_k > 50:
        raise QueryError("--top-k 须在 1 到 50 之间。")
    if args.query is not None:
        result = open_retriever().search(args.query, args.top_k)
        print(json.dumps(result.to_dict(), ensure_ascii=False) if args.json else _render(result))
        return 0
    retriever = open_retriever()
    for line in sys.stdin:  # batch: one JSON object a line, same order; bad lines answered, not fatal
        query = line.rstrip("\n")
        try:
            out = retriever.search(query, args.top_k).to_dict()
        except QueryError as exc:
            out = {"query": query, "answerable": False, "results": [], "error": str(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _render(result) -> str:
    from knowledge.cite import citation

    lines = [f"问题：{result.query}", f"文件能否回答：{'能' if result.answerable else '文件中未找到明确依据'}"]
    for n, hit in enumerate(result.hits, start=1):
        lines += [f"{n}. [{hit.clause.clause_id}] {hit.score:.3f}", f"   「{hit.clause.text}」", f"   {citation(hit.clause, hit.doc_title)}"]
        lines += [f"   版本说明：{note.detail}" for note in hit.clause.notes]
    return "\n".join(lines)


def _show(args) -> int:
    from knowledge.cite import citation
    from knowledge.index import load

    index = load(KnowledgeSettings())
    by_id = {c.clause_id: c for c in index.clauses}
    clause = by_id.get(args.clause_id)
    if clause is None:
        raise QueryError(f"没有编号为 {args.clause_id} 的条款。")
    doc = next(d for d in index.documents if d.doc_number == clause.doc_number)
    siblings = [c for c in index.clauses if c.doc_number == clause.doc_number and c.path == clause.path]
    print(f"《{doc.title}》（{doc.doc_number}）{doc.issuer}  {'  '.join(f'{k}:{v}' for k, v in doc.dates.items())}")
    print(citation(clause, doc.title))
    print(f"来源：{clause.source} 第 {clause.line} 行")
    for c in siblings:
        print(("▶ " if c is clause else "  ") + c.text)
    for note in clause.notes:
        print(f"版本说明：{note.detail}")
    return 0


def _eval(args) -> int:
    from knowledge import evaluate
    from knowledge.service import open_retriever

    retriever = open_retriever()
    sources = retriever.settings.sources_dir
    systems = [
        ("hybrid (this system)", evaluate.ours(retriever)),
        ("baseline: BM25 over raw paragraphs", evaluate.bm25_paragraphs(sources)),
        ("baseline: dense over raw sentences", evaluate.dense_sentences(sources, retriever.embedder)),
    ]
    for path in args.questions or [p for p in evaluate.DEFAULT_SETS if p.exists()]:
        questions = evaluate.load_questions(path)
        print(f"\n{path}: {len(questions.cases)} questions, {len(questions.out_of_scope)} out of scope")
        figures = [evaluate.evaluate_system(name, fn, questions) for name, fn in systems]
        print(evaluate.table([f.row() for f in figures]))
        if args.misses:
            print("\n".join(evaluate.misses(figures[0], questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
