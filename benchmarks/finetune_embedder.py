"""Domain fine-tuning of the embedding model (issue 11 experiment): shipped texts + tuning questions → a model folder.

On demand, never part of a build today. Builds training pairs from data the project may tune on only:
  * inverse cloze over the library (and with --bulk the bulk regulations): one sentence of a clause → the
    clause as the index embeds it (`clause_text_for_search`), that sentence removed;
  * a law article's name → the article (「就业促进法第二十七条」, how staff ask);
  * the tuning questions (laws_tune.yaml, laws_tune_colloquial.yaml, questions.yaml): question → every clause
    holding one of its `any` phrases; `--fold F --folds K` leaves fold F out (5-fold cross-validation), and
    `--write-folds DIR` writes each fold's held-out questions as question files for `python -m knowledge eval`.
laws_eval.yaml and laws_nearmiss.yaml are refused: figures are reported there, never tuned on.
Then trains with MultipleNegativesRankingLoss (in-batch negatives; --hard-negatives adds the neighbouring clause
of the same document, the usual wrong answer), a plain torch loop, fixed seed, and saves the model to --out.

    .venv/bin/python benchmarks/finetune_embedder.py --out /tmp/m3e-ft [--fold 0 --folds 5] [--no-questions]
    KNOWLEDGE_MODEL_PATH=/tmp/m3e-ft KNOWLEDGE_INDEX_DIR=/tmp/ft-index .venv/bin/python -m knowledge eval FILES
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from knowledge.config import KnowledgeSettings  # noqa: E402
from knowledge.embed import default_model_path  # noqa: E402
from knowledge.evaluate import Case, load_questions  # noqa: E402
from knowledge.index import ARTICLE_LABEL, clause_text_for_search  # noqa: E402
from knowledge.sources import load_corpus  # noqa: E402

TUNING_SETS = [ROOT / "benchmarks" / n for n in ("laws_tune.yaml", "laws_tune_colloquial.yaml", "questions.yaml")]
REPORTED_SETS = {"laws_eval.yaml", "laws_nearmiss.yaml"}  # held out: never a training or choosing set
BULK = ROOT.parent / "shared" / "corpus" / "bulk"
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
QUERY_CHARS = (8, 120)  # a sentence shorter says nothing alone; a longer one is most of its clause


def library_clauses(folders: list[Path]) -> list[tuple[str, object]]:
    """Source folders → [(document title, clause)] in reading order (official texts only)."""
    out = []
    for folder in folders:
        corpus = load_corpus(folder)
        titles = {d.doc_id: d.title for d in corpus.documents}
        out += [(titles.get(c.doc_id, ""), c) for c in corpus.clauses if c.official]
    return out


def cloze_pairs(clauses, rng: random.Random, per_clause: int) -> list[tuple[str, str, int]]:
    """[(title, clause)] → [(one sentence, the clause without it as the index embeds it, clause position)]."""
    pairs = []
    for pos, (title, clause) in enumerate(clauses):
        sentences = [s.strip() for s in SENTENCE.findall(clause.text) if s.strip()]
        usable = [s for s in sentences if QUERY_CHARS[0] <= len(s) <= QUERY_CHARS[1]]
        if len(sentences) < 2 or not usable:
            continue
        for s in rng.sample(usable, min(per_clause, len(usable))):
            rest = clause.text.replace(s, "", 1).strip()
            pairs.append((s, clause_text_for_search(dataclasses.replace(clause, text=rest), title), pos))
    return pairs


def article_name_pairs(clauses) -> list[tuple[str, str, int]]:
    """[(title, clause)] → [(「就业促进法第二十七条」, the article as the index embeds it, position)], first 款 only."""
    pairs, seen = [], set()
    for pos, (title, clause) in enumerate(clauses):
        if clause.path and ARTICLE_LABEL.match(clause.path[-1]):
            name = title.removeprefix("中华人民共和国") + clause.path[-1]
            if name not in seen:
                seen.add(name)
                pairs.append((name, clause_text_for_search(clause, title), pos))
    return pairs


def question_pairs(cases: list[Case], clauses) -> list[tuple[str, str, int]]:
    """Tuning cases → [(question, an answering clause as the index embeds it, position)]."""
    flat = [re.sub(r"\s+", "", c.text) for _, c in clauses]
    pairs = []
    for case in cases:
        keys = [re.sub(r"\s+", "", p) for p in case.any]
        for pos, text in enumerate(flat):
            if any(k in text for k in keys):
                title, clause = clauses[pos]
                pairs.append((case.q, clause_text_for_search(clause, title), pos))
    return pairs


def folds_of(n: int, folds: int, seed: int) -> list[int]:
    """n items → each one's fold number (a seeded shuffle dealt round-robin: folds differ by one item at most)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold = [0] * n
    for i, item in enumerate(order):
        fold[item] = i % folds
    return fold


def tuning_cases(paths: list[Path], args) -> tuple[list[Case], dict]:
    """Tuning files → (training cases outside the held-out fold, {(file, fold): held-out questions data})."""
    train, held = [], {}
    for path in paths:
        if path.name in REPORTED_SETS:
            sys.exit(f"error: {path}: a reported set is never used for training")
        qs = load_questions(path)
        fold = folds_of(len(qs.cases), args.folds, args.seed)
        oos_fold = folds_of(len(qs.out_of_scope), args.folds, args.seed)
        for f in range(args.folds):
            held[(path.stem, f)] = {
                "cases": [c.__dict__ for c, k in zip(qs.cases, fold, strict=True) if k == f],
                "out_of_scope": [q for q, k in zip(qs.out_of_scope, oos_fold, strict=True) if k == f]}
        train += [c for c, k in zip(qs.cases, fold, strict=True) if args.fold is None or k != args.fold]
    return train, held


def with_neighbours(pairs, clauses, rng: random.Random) -> list[tuple[str, ...]]:
    """(query, positive, position) → (query, positive, the previous or next clause of the same document)."""
    answers = {(q, pos) for q, _, pos in pairs}  # a neighbour that answers the same question is no negative
    out = []
    for q, p, pos in pairs:
        near = [i for i in (pos - 1, pos + 1) if 0 <= i < len(clauses) and (q, i) not in answers
                and clauses[i][1].doc_id == clauses[pos][1].doc_id]
        if near:
            i = rng.choice(near)
            out.append((q, p, clause_text_for_search(clauses[i][1], clauses[i][0])))
    return out


def batches(rows: list[tuple[str, ...]], size: int, rng: random.Random) -> list[list[tuple[str, ...]]]:
    """Rows → shuffled batches with no text twice in a batch (a repeated text would be its own negative)."""
    rows = rows[:]
    rng.shuffle(rows)
    out = []
    while rows:
        current, seen, rest = [], set(), []
        for row in rows:
            if len(current) < size and not seen & set(row):
                current.append(row)
                seen |= set(row)
            else:
                rest.append(row)
        out.append(current)
        rows = rest
    return [b for b in out if len(b) > 1]


def train(rows, args) -> None:
    """Rows (query, positive[, negative]) → fine-tuned model saved to args.out."""
    import torch
    from sentence_transformers import SentenceTransformer, losses
    from transformers import get_linear_schedule_with_warmup

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    model = SentenceTransformer(str(args.base), device="cpu")
    model.max_seq_length = args.max_seq_length
    loss_fn = losses.MultipleNegativesRankingLoss(model, scale=args.scale)
    rng = random.Random(args.seed)
    plan = [batches(rows, args.batch_size, rng) for _ in range(args.epochs)]
    steps = sum(len(p) for p in plan)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    model.train()
    started, step = time.perf_counter(), 0
    for epoch in plan:
        for batch in epoch:
            features = [model.tokenize(list(column)) for column in zip(*batch, strict=True)]
            loss = loss_fn(features, None)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step(), schedule.step(), optimizer.zero_grad()
            step += 1
            if step % 20 == 0 or step == steps:
                print(f"step {step}/{steps} loss {loss.item():.3f} {time.perf_counter() - started:.0f} s", flush=True)
    model.eval()
    model.save(str(args.out))
    print(f"trained {steps} steps in {time.perf_counter() - started:.0f} s → {args.out}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    rng = random.Random(args.seed)
    folders = [KnowledgeSettings().sources_dir] + ([BULK] if args.bulk else [])
    clauses = library_clauses(folders)
    cases, held = tuning_cases(args.sets, args)
    if args.write_folds:
        args.write_folds.mkdir(parents=True, exist_ok=True)
        for (stem, f), data in held.items():
            (args.write_folds / f"{stem}.fold{f}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        print(f"wrote {len(held)} held-out question files to {args.write_folds}")
    parts = {"inverse cloze": [] if args.no_unsupervised else cloze_pairs(clauses, rng, args.cloze_per_clause),
             "article names": [] if args.no_unsupervised else article_name_pairs(clauses),
             "tuning questions": [] if args.no_questions else question_pairs(cases, clauses)}
    parts["tuning questions"] *= args.question_repeat
    for name, pairs in parts.items():
        print(f"{name}: {len(pairs)} pairs")
    rows = [p for pairs in parts.values() for p in pairs]
    rows = with_neighbours(rows, clauses, rng) if args.hard_negatives else [(q, p) for q, p, _ in rows]
    print(f"{len(clauses)} clauses; {len(rows)} training rows; held-out fold: {args.fold} of {args.folds}")
    if args.out:
        train(rows, args)
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, help="model folder to write (outside the repository: ~90 MB); none = pairs only")
    p.add_argument("--base", type=Path, default=default_model_path(), help="model to start from (default m3e-small)")
    p.add_argument("--sets", type=Path, nargs="*", default=TUNING_SETS, help="tuning question files")
    p.add_argument("--fold", type=int, help="leave this fold's questions out of training")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--write-folds", type=Path, help="write each fold's held-out questions here")
    p.add_argument("--no-questions", action="store_true", help="unsupervised pairs only")
    p.add_argument("--no-unsupervised", action="store_true", help="tuning questions only (no cloze, no article names)")
    p.add_argument("--question-repeat", type=int, default=1, help="times each question pair appears per epoch")
    p.add_argument("--bulk", action="store_true", help="also inverse cloze over ../shared/corpus/bulk")
    p.add_argument("--hard-negatives", action="store_true", help="the neighbouring clause as each row's negative")
    p.add_argument("--cloze-per-clause", type=int, default=1)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--lr", type=float, default=2e-5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--scale", type=float, default=20.0, help="MNRL similarity scale (inverse temperature)")
    p.add_argument("--max-seq-length", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=11)
    return p


if __name__ == "__main__":
    sys.exit(main())
