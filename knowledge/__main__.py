"""Command line: python -m knowledge {build, documents, search, show, eval}.

Exit codes: 0 ok, 1 operator error (sources, index, model), 2 bad usage or bad query.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from knowledge.cite import short_source
from knowledge.config import KnowledgeSettings
from knowledge.errors import KnowledgeError, QueryError
from knowledge.types import REPEALED


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
    p = sub.add_parser("build", help="(re)build the index from the sources and print the report per file")
    p.add_argument("--strict", action="store_true", help="a file the parser cannot place fails the build")
    p.set_defaults(run=_build)
    p = sub.add_parser("documents", help="list the documents of the current index")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(run=_documents)
    p = sub.add_parser("search", help="search clauses; with no query, read one query a line from stdin")
    p.add_argument("query", nargs="?")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--json", action="store_true", help="JSON output (always on for stdin batches)")
    p.add_argument("--all-versions", action="store_true", help="also search versions no longer in force (staff)")
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
    from knowledge.index import build_with_report

    settings = KnowledgeSettings()
    started = time.perf_counter()
    folder, corpus = build_with_report(settings, Embedder(settings.model_path), progress=sys.stderr.isatty(), strict=args.strict)
    print(build_report(corpus))
    asked = sum(len(q) for q in corpus.asked.values())
    other = json.loads((folder / "manifest.json").read_text())["elsewhere"]
    print(f"index {folder} ({len(corpus.clauses)} clauses, {asked} asked questions, {len(corpus.documents)} documents; "
          f"{other} questions answered elsewhere from {settings.elsewhere}) in {time.perf_counter() - started:.1f} s")
    return 0


def build_report(corpus) -> str:
    """A Corpus → one block per source file: role, layout, and per document kind, title, region, status, clauses, warnings."""
    docs = {d.doc_id: d for d in corpus.documents}
    stated = {r.target: r for r in corpus.repeals}
    lines = []
    for f in corpus.files:
        lines.append(f"{f.source}: {f.role}" + (f" ({f.layout})" if f.layout else "") + (f" — {f.detail}" if f.detail else ""))
        if f.role == "parsed":
            for doc_id in f.doc_ids:
                d = docs[doc_id]
                count = sum(c.doc_id == doc_id for c in corpus.clauses)
                lines.append(f"  [{doc_id}] {d.kind} 《{d.title}》 {d.region} {d.status}"
                             + _replaced_by(d, stated.get(doc_id), corpus) + f" {count} clauses")
                lines += [f"  repeals [{r.target}] 《{docs[r.target].title}》 ({_where(r, corpus)})" for r in corpus.repeals if r.by == doc_id]
        lines += [f"  warning: {w}" for w in f.warnings]
    return "\n".join(lines)


def _replaced_by(doc, repeal, corpus) -> str:
    """A document and the repeal of it found in another's text (or None) → '（现行版本 X）', '（由 X《…》第九十三条废止）' or ''."""
    if repeal is not None:
        return f"（由 {repeal.by} {_where(repeal, corpus)}废止）"
    return f"（现行版本 {doc.superseded_by}）" if doc.superseded_by else ""


def _where(repeal, corpus) -> str:
    """A Repeal → the clause stating it, as cited: 《退役军人安置条例》第九十三条."""
    clause = next(c for c in corpus.clauses if c.clause_id == repeal.clause_id)
    return short_source(clause, next(d.title for d in corpus.documents if d.doc_id == repeal.by))


def _documents(args) -> int:
    from knowledge.index import load

    index = load(KnowledgeSettings())
    counts = {}
    for c in index.clauses:
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
    rows = [document_row(d, counts.get(d.doc_id, 0)) for d in index.documents]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            number = f"（{r['doc_number']}）" if r["doc_number"] else ""
            repealed = f"（由 {r['superseded_by']} 废止）" if r["status"] == REPEALED and r["superseded_by"] else ""
            print(f"{r['doc_id']}\t{r['kind']}\t《{r['title']}》{number}\t{r['region']}\t{r['status']}{repealed}\t"
                  f"{r['version_date'] or '日期未知'}\t{r['clauses']} 条款\t{r['source']}")
    return 0


def document_row(doc, clauses: int) -> dict:
    """A Document and its clause count → the listing's row (metadata only, no clause tree)."""
    keys = ("doc_id", "title", "kind", "issuer", "doc_number", "region", "status", "superseded_by", "dates", "source", "copies", "layout")
    return {k: getattr(doc, k) for k in keys} | {"version_date": doc.version_date, "clauses": clauses}


def _search(args) -> int:
    from knowledge.service import open_retriever

    if args.top_k < 1 or args.top_k > 50:
        raise QueryError("--top-k 须在 1 到 50 之间。")
    if args.query is not None:
        result = open_retriever().search(args.query, args.top_k, include_superseded=args.all_versions)
        print(json.dumps(result.to_dict(), ensure_ascii=False) if args.json else _render(result))
        return 0
    retriever = open_retriever()
    for line in sys.stdin:  # batch: one JSON object a line, same order; bad lines answered, not fatal
        query = line.rstrip("\n")
        try:
            out = retriever.search(query, args.top_k, include_superseded=args.all_versions).to_dict()
        except QueryError as exc:
            out = {"query": query, "answerable": False, "results": [], "error": str(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _render(result) -> str:
    from knowledge.cite import citation
    from knowledge.types import IN_FORCE

    lines = [f"问题：{result.query}", f"文件能否回答：{'能' if result.answerable else '文件中未找到明确依据'}"]
    if result.replaced is not None:
        lines.append(f"最接近的条款出自已被取代的版本：{result.replaced.clause.clause_id}（现行版本 {result.replaced_by}）")
    for n, hit in enumerate(result.hits, start=1):
        status = "" if hit.doc_status == IN_FORCE else f"（{hit.doc_status}）"
        lines += [f"{n}. [{hit.clause.clause_id}] {hit.score:.3f}{status}", f"   「{hit.clause.text}」", f"   {citation(hit.clause, hit.doc_title)}"]
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
    doc = index.by_id[clause.doc_id]
    siblings = [c for c in index.clauses if c.doc_id == clause.doc_id and c.path == clause.path]
    number = f"（{doc.doc_number}）" if doc.doc_number else ""
    print(f"《{doc.title}》{number}{doc.issuer}  {doc.status}  {'  '.join(f'{k}:{v}' for k, v in doc.dates.items())}")
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
