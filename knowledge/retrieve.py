"""Retrieval: a citizen's question → ranked clauses and an `answerable` flag.

Query: control characters dropped, 繁→简 and Cantonese → Mandarin, colloquial words expanded
with policy terms. Two retrievers: BM25 over jieba tokens and cosine over m3e-small vectors; a clause's
cosine is lifted towards that of the nearest question it answers (knowledge/asked.py), and a question nearer to
one answered elsewhere (knowledge/elsewhere.py) loses confidence.
Fusion over the union of both candidate lists: cosine + weighted query-normalised BM25 +
weighted IDF coverage of the question's words (synonyms count for the colloquial word); a candidate
found by BM25 alone gets its own cosine. Then the document step (knowledge/docrank.py): which
document is asked about, and which article inside it. `answerable` compares a linear confidence
(best cosine, coverage of the top clauses, share of words the documents never use) with a
threshold; a question asking for an amount or an age is answered only by a clause stating one (knowledge/qtype.py).
Weights and threshold are data (lexicon/calibration.yaml), written by
benchmarks/calibrate.py from the tuning question sets.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import yaml

from knowledge import concepts, qtype, states
from knowledge.docrank import DocumentIndex, DocWeights, coverage as _coverage
from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.errors import QueryError, SourceError
from knowledge.index import LoadedIndex, clause_words_text
from knowledge.normalize import clean_query
from knowledge.texts import EMPTY_MESSAGE
from knowledge.tokenize import Tokenizer
from knowledge.types import IN_FORCE, Hit, SearchResult
from knowledge.versions import in_force_successor

CANDIDATES = 50
ASKED_CANDIDATES = 50  # nearest asked questions looked at (knowledge/asked.py)
UNOFFICIAL_PENALTY = 0.02  # text found only in an unofficial copy ranks below equal official text
COVERAGE_DEPTH = 3
CONCEPT_DEPTH = 10  # candidates searched for the question's key concept (knowledge/concepts.py)
GAP_DEPTH = 4  # answerable looks at how far the best clause stands above the fifth
# A question naming a document (「就业促进法关于就业歧视是第几条」) ranks that document's clauses above
# others, and the article it names (「社保法第十六条」) above the rest of that document.
DOCUMENT_NAMED_BONUS = 0.1
ARTICLE_NAMED_BONUS = 0.3
_ARTICLE_REF = re.compile(r"第([一二三四五六七八九十百零〇]+|\d{1,2})条")
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


class Lexicon:
    """Colloquial → policy term expansions from the synonyms file, and numbers in both spellings."""

    def __init__(self, path: Path):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        self.terms = {str(k): [str(t) for t in v] for k, v in data.items()}
        self._keys = sorted(self.terms, key=len, reverse=True)

    def entries(self, query: str) -> dict[str, list[str]]:
        """A simplified query → {word it contains: the forms the documents may use instead}.

        Synonym keys longest first without overlaps, then each number with a unit in the other
        spelling (3年 ⇄ 三年, 90% ⇄ 百分之九十): the texts write both ways."""
        found, rest = {}, query
        for key in self._keys:
            if key in rest:
                found[key] = self.terms[key]
                rest = rest.replace(key, " ")
        for m in _NUMBER.finditer(rest):
            other = _respell(m)
            if other:
                found[m.group(0)] = [other]
        return found

    def keys_in(self, query: str) -> list[str]:
        """A simplified query → the colloquial words (and numbers) it contains."""
        return list(self.entries(query))

    def expand(self, query: str) -> list[str]:
        """A simplified query → the other forms of the words it contains (no repeats)."""
        terms = [t for forms in self.entries(query).values() for t in forms]
        return [t for t in dict.fromkeys(terms) if t not in query]


WARM_UP_QUERY = "我是应届毕业生，失业金每个月能领多少，怎么申请"  # every stage: 繁简, synonyms, numbers, jieba and its POS tagger (concepts), BM25, the model, FAISS
_DIGITS = "零一二三四五六七八九"
_NUMBER = re.compile(r"百分之([一二三四五六七八九十]{1,3})|(\d{1,2})%|(\d{1,2}|[一二两三四五六七八九十]{1,3})(个工作日|个月|周岁|年|岁|天|日|级|倍)")


def _chinese(n: int) -> str:
    """1..99 → Chinese numerals (12 → 十二, 20 → 二十)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def _arabic(text: str) -> int | None:
    """Chinese numerals 一…九十九 (两 = 2) → int, None when not a number."""
    text = text.replace("两", "二")
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _DIGITS.index(text) if len(text) == 1 and text in _DIGITS[1:] else None
    t = 1 if tens == "" else (_DIGITS.index(tens) if len(tens) == 1 and tens in _DIGITS[1:] else None)
    o = 0 if ones == "" else (_DIGITS.index(ones) if len(ones) == 1 and ones in _DIGITS[1:] else None)
    return None if t is None or o is None else 10 * t + o


def _respell(m: re.Match) -> str:
    """A number match (百分之九十 / 90% / 3年 / 三年) → the same number in the other spelling, '' if none."""
    if m.group(1):
        n = _arabic(m.group(1))
        return f"{n}%" if n else ""
    if m.group(2):
        return f"百分之{_chinese(int(m.group(2)))}" if int(m.group(2)) else ""
    number, unit = m.group(3), m.group(4)
    if number.isdigit():
        return _chinese(int(number)) + unit if 0 < int(number) < 100 else ""
    n = _arabic(number)
    return f"{n}{unit}" if n else ""


@dataclass(frozen=True)
class Calibration:
    """Scoring constants fitted on the tuning sets by benchmarks/calibrate.py.

    Ranking: cosine + bm25_weight·BM25/max + clause_coverage_weight·(IDF share of the question's
    words the clause contains). answerable ⇔ best cosine + coverage_weight·(that share over the top
    clauses) − oov_weight·(share of words no clause uses) + gap_weight·(how far the best clause's score
    stands above the fifth: a question the documents answer singles one clause out) ≥ threshold.
    doc_weight … stated_weight: the document step's (knowledge/docrank.DocWeights). asked_weight: how far a
    clause's cosine is lifted towards that of the nearest question it answers (knowledge/asked.py), 1 = all the way,
    less asked_second_weight × that question's lead over the clause's second nearest (Retriever._asked_scores);
    asked_answer_weight: the weight in the confidence of the nearest asked question's cosine, or of the best
    clause's when that is higher (a library, or a new document, without asked questions is not starved). Below the threshold
    but at least related_threshold, the best clause is offered as related, not asserted (knowledge/answer.py).
    elsewhere_weight: the confidence lost per unit by which the nearest question answered elsewhere (knowledge/elsewhere.py)
    is nearer than that asked evidence; refused so, the citizen is told where to ask."""

    bm25_weight: float
    clause_coverage_weight: float
    coverage_weight: float
    oov_weight: float
    gap_weight: float
    threshold: float
    doc_weight: float
    doc_heading_weight: float
    local_weight: float
    penalty_chapter_weight: float
    stated_weight: float
    asked_weight: float
    asked_second_weight: float
    asked_answer_weight: float
    related_threshold: float
    elsewhere_weight: float

    @property
    def documents(self) -> DocWeights:
        """→ the document step's weights (knowledge/docrank.py)."""
        return DocWeights(self.doc_weight, self.doc_heading_weight, self.local_weight, self.penalty_chapter_weight,
                          self.stated_weight)

    @classmethod
    def load(cls, path: Path) -> "Calibration":
        """A calibration YAML file → Calibration; a missing file, key or non-number raises SourceError naming it."""
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SourceError(str(path), None, f"cannot read the calibration (setting KNOWLEDGE_CALIBRATION): {exc}") from exc
        values = {}
        for f in fields(cls):
            value = data.get(f.name) if isinstance(data, dict) else None
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise SourceError(str(path), None, f"key {f.name}: a number is required (run benchmarks/calibrate.py)")
            values[f.name] = float(value)
        return cls(**values)


class Retriever:
    """Hybrid search over one loaded index."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: KnowledgeSettings):
        self.index, self.embedder, self.settings = index, embedder, settings
        self.tokenizer = Tokenizer(settings.userdict)
        self.lexicon = Lexicon(settings.synonyms)
        self.calibration = Calibration.load(settings.calibration)

    @functools.cached_property
    def _vocab(self) -> dict:
        return self.index.bm25.vocab_dict

    @functools.cached_property
    def _idf(self) -> dict[str, float]:
        n, df = len(self.index.clauses), Counter()
        for clause in self.index.clauses:
            df.update(set(self.tokenizer.tokens(clause.text)))
        return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()} | {"": math.log((n + 1) / 0.5)}

    def prepare(self, query: str) -> tuple[str, str, list[str]]:
        """A raw query → (clean query, text to embed, keyword tokens); empty raises QueryError."""
        if not isinstance(query, str) or not query.strip():
            raise QueryError(EMPTY_MESSAGE)
        clean = clean_query(query, self.settings.max_query_chars)
        extra = self.lexicon.expand(clean)
        dense_text = f"{clean}（{'、'.join(extra)}）" if extra else clean
        tokens = self.tokenizer.tokens(clean) + [t for e in extra for t in self.tokenizer.tokens(e)]
        return clean, dense_text, tokens

    def warm_up(self) -> float:
        """→ seconds spent answering one question, so that the embedding model, the jieba dictionary and
        the lazy tables load before a server reports ready rather than at its first citizen."""
        started = time.perf_counter()
        self.search(WARM_UP_QUERY, 3)
        return time.perf_counter() - started

    def search(self, query: str, k: int = 5, include_superseded: bool = False) -> SearchResult:
        """One question → SearchResult with up to k hits (from documents in force unless include_superseded)."""
        return self.search_many([query], k, include_superseded)[0]

    def search_many(self, queries: list[str], k: int = 5, include_superseded: bool = False) -> list[SearchResult]:
        """Questions → SearchResults in the same order (vectors computed in one batch).

        Citizens see documents in force only; when the best clause came from a replaced version,
        the result names it (`replaced`) and the version in force (`replaced_by`). Staff may ask
        for every version (include_superseded)."""
        prepared = [self.prepare(q) for q in queries]
        searchable = [i for i, p in enumerate(prepared) if _CONTENT.search(p[0])]
        vectors = self.embedder.encode([prepared[i][1] for i in searchable]) if searchable else None
        results = [SearchResult(q, False, []) for q in queries]
        for row, i in enumerate(searchable):
            clean, _, tokens = prepared[i]
            results[i] = self._rank(queries[i], clean, vectors[row : row + 1], tokens, k, include_superseded)
        return results

    def _rank(self, query: str, clean: str, vector: np.ndarray, tokens: list[str], k: int, include_superseded: bool) -> SearchResult:
        """One query (raw and cleaned), its vector and tokens → fused ranking and the answerable decision."""
        clauses = self.index.clauses
        n = len(clauses)
        dense_scores, dense_ids = self.index.dense.search(vector, min(CANDIDATES, n))
        known = list(dict.fromkeys(t for t in tokens if t in self._vocab))
        keyword = self.index.bm25.get_scores(known) if known else np.zeros(n, dtype=np.float32)
        named, articles = self._named(clean)
        asked, nearest_asked = self._asked_scores(vector)
        candidates = list(dict.fromkeys([int(i) for i in dense_ids[0] if i >= 0] + [int(i) for i in np.argsort(-keyword)[:CANDIDATES]]
                                        + [i for d in named for a in articles for i in self._articles.get((d, a), [])] + list(asked)))
        dense = {int(i): float(s) for i, s in zip(dense_ids[0], dense_scores[0], strict=True) if i >= 0}  # -1: fewer found
        missing = [i for i in candidates if i not in dense]  # found by BM25 or by name only: their own cosine
        if missing:
            dense.update(zip(missing, (self._vectors[missing] @ vector[0]).tolist()))
        best_kw = float(keyword.max()) if n else 0.0
        words = self.query_words(clean)
        cal = self.calibration
        dense = {i: d + cal.asked_weight * max(0.0, asked.get(i, d) - d) for i, d in dense.items()}  # lifted towards its asked questions
        base = {i: dense[i] + cal.bm25_weight * (float(keyword[i]) / best_kw if best_kw > 0 else 0.0) for i in candidates}
        fused = {
            i: base[i] + cal.clause_coverage_weight * _coverage(words, self._search_text(i)) - UNOFFICIAL_PENALTY * (not clauses[i].official)
            + self._named_bonus(clauses[i], named, articles)
            for i in candidates
        }
        kind = qtype.classify(clean)
        fused = self.document_step.rerank(fused, words, cal.documents, kind)
        order = sorted(fused, key=fused.get, reverse=True)
        # the answerable evidence looks at the ranking before word coverage was rewarded
        top_text = "".join(self._search_text(i) for i in sorted(base, key=base.get, reverse=True)[:COVERAGE_DEPTH])
        runner_up = fused[order[min(GAP_DEPTH, len(order) - 1)]] if order else 0.0
        shown = order if include_superseded else [i for i in order if self._in_force[i]]
        evidence = {"cosine": max(dense.values(), default=0.0), "coverage": _coverage(words, top_text), "oov": self._oov(words),
                    "gap": fused[order[0]] - runner_up if order else 0.0, "asked": max(float(dense_scores[0][0]), nearest_asked)}
        nearest, topic = self._elsewhere(vector)
        evidence["elsewhere"] = max(0.0, nearest - evidence["asked"])
        evidence["confidence"] = confidence(evidence, cal)
        answering = states.same_document([(clauses[i].doc_id, self._search_text(i)) for i in shown[:CONCEPT_DEPTH]])
        key, absent = concepts.check(clean, answering, self.tokenizer, self.lexicon)
        unstated = kind in qtype.FIGURES and bool(shown) and not qtype.states(kind, clauses[shown[0]].text)  # 「多少钱」, no figure
        answerable = evidence["confidence"] >= cal.threshold and not absent and not unstated
        pointer = topic.pointer if topic is not None and not answerable and evidence["elsewhere"] > 0 else ""
        near = evidence["confidence"] + cal.elsewhere_weight * evidence["elsewhere"] >= cal.related_threshold  # the clause is near, wherever the answer is
        result = SearchResult(query, answerable, [self._hit(i, fused[i]) for i in shown[:k]], evidence, key, absent, pointer=pointer,
                              vector=vector[0], related=not answerable and not absent and near)
        if order and shown and order[0] != shown[0]:
            self._note_replaced(result, order[0], fused[order[0]])
        return result

    def _asked_scores(self, vector: np.ndarray) -> tuple[dict[int, float], float]:
        """A query vector → ({clause index: how near the questions it answers come}, the nearest asked question's cosine),
        over the nearest asked questions: per clause the nearest one's cosine, less asked_second_weight × its lead over the
        clause's second nearest (or, with none among them, over the clause's own cosine) — one stray question is weaker
        evidence for ranking than two."""
        rows = self.index.asked
        if not rows:
            return {}, 0.0
        scores, ids = self.index.asked_dense.search(vector, min(ASKED_CANDIDATES, len(rows)))
        near: dict[int, list[float]] = {}
        for score, j in zip(scores[0].tolist(), ids[0].tolist(), strict=True):
            if j >= 0:
                near.setdefault(rows[j][0], []).append(score)  # nearest first
        w = self.calibration.asked_second_weight
        lifted = {i: s[0] - w * (s[0] - (s[1] if len(s) > 1 else float(self._vectors[i] @ vector[0]))) for i, s in near.items()}
        return lifted, float(scores[0][0]) if len(ids[0]) and ids[0][0] >= 0 else 0.0

    def _elsewhere(self, vector: np.ndarray):
        """A query vector → (cosine of the nearest question answered elsewhere, its Topic), (0.0, None) without any."""
        if not self.index.elsewhere_rows:
            return 0.0, None
        scores, ids = self.index.elsewhere_dense.search(vector, 1)
        return float(scores[0][0]), self.index.elsewhere_topics[self.index.elsewhere_rows[int(ids[0][0])][0]]

    @functools.cached_property
    def _doc_names(self) -> dict[str, set[str]]:
        """→ {doc_id: the names a question may call it by}: its title, without 中华人民共和国, 广东省 → 广东;
        synonyms add abbreviations (社保法 → 社会保险法)."""
        names = {}
        for d in self.index.documents:
            short = d.title.removeprefix("中华人民共和国")
            names[d.doc_id] = {n for n in {d.title, short, re.sub(r"^(.{2,3}?)省", r"\1", short)} if len(n) >= 4}
        return names

    @functools.cached_property
    def _articles(self) -> dict[tuple[str, str], list[int]]:
        """→ {(doc_id, 第X条): indices of that article's clauses}."""
        found: dict[tuple[str, str], list[int]] = {}
        for i, c in enumerate(self.index.clauses):
            if c.path and _ARTICLE_REF.fullmatch(c.path[-1]):
                found.setdefault((c.doc_id, c.path[-1]), []).append(i)
        return found

    def _named(self, clean: str) -> tuple[set[str], set[str]]:
        """A clean query → (ids of the documents it names, the article labels it names: 第16条 → 第十六条).

        The longest name wins: 「广东省失业保险条例」 names the provincial regulation, not 失业保险条例 too."""
        text = "、".join([clean, *self.lexicon.expand(clean)])  # apart: joined words must not form a name
        found = {d: max((n for n in names if n in text), key=len, default="") for d, names in self._doc_names.items()}
        found = {d: n for d, n in found.items() if n}
        named = {d for d, n in found.items() if not any(n != m and n in m for m in found.values())}
        articles = {f"第{_chinese(int(m)) if m.isdigit() else m}条" for m in _ARTICLE_REF.findall(clean)}
        return named, articles

    def _named_bonus(self, clause, named: set[str], articles: set[str]) -> float:
        """A clause and what the question names → its ranking bonus."""
        if clause.doc_id not in named:
            return 0.0
        return DOCUMENT_NAMED_BONUS + (ARTICLE_NAMED_BONUS if clause.path and clause.path[-1] in articles else 0.0)

    def _note_replaced(self, result: SearchResult, best: int, score: float) -> None:
        """The best clause came from a version no longer in force → name it and the version that replaced it."""
        successor = in_force_successor(self.index.clauses[best].doc_id, self.index.documents)
        if successor is not None:
            result.replaced, result.replaced_by = self._hit(best, score), successor.doc_id

    def _hit(self, i: int, score: float) -> Hit:
        """Clause index and score → Hit with its document's title and status."""
        clause = self.index.clauses[i]
        doc = self.index.by_id.get(clause.doc_id)
        return Hit(clause, doc.title if doc else "", score, doc.status if doc else IN_FORCE)

    @functools.cached_property
    def _in_force(self) -> list[bool]:
        by_id = self.index.by_id
        return [by_id[c.doc_id].in_force if c.doc_id in by_id else True for c in self.index.clauses]

    @functools.cached_property
    def _texts(self) -> list[str]:
        titles = self.index.doc_titles
        return [clause_words_text(c, titles.get(c.doc_id, "")) for c in self.index.clauses]

    @functools.cached_property
    def _vectors(self) -> np.ndarray:
        """→ every clause's vector (row i = clause i), read back from the FAISS index once."""
        dense = self.index.dense
        try:
            return dense.reconstruct_n(0, dense.ntotal)
        except RuntimeError:  # an IVF index keeps no id → vector map until asked for one
            import faiss

            faiss.extract_index_ivf(dense).make_direct_map()
            return dense.reconstruct_n(0, dense.ntotal)

    @functools.cached_property
    def document_step(self) -> DocumentIndex:
        """→ the document step's tables over this index (knowledge/docrank.py)."""
        return DocumentIndex.of(self.index.clauses, self.index.doc_titles, self._texts)

    def _search_text(self, i: int) -> str:
        """Clause i → the text word coverage is measured on (index.clause_words_text)."""
        return self._texts[i]

    def query_words(self, clean: str) -> list[tuple[float, list[str]]]:
        """A clean query → its content words as (IDF weight, forms that count as present).

        A colloquial word with synonyms counts as present when it or one of its policy terms is."""
        groups: list[tuple[float, list[str]]] = []
        rest = clean
        for key, forms in self.lexicon.entries(clean).items():
            groups.append((self._idf.get(key, 3.0), [key] + forms))
            rest = rest.replace(key, " ")
        words = list(dict.fromkeys(t for t in self.tokenizer.tokens(rest) if len(t) > 1 or t not in self._idf))
        words = [w for w in words if not any(w != u and w in u for u in words)]  # keep the longest form
        return groups + [(self._idf.get(w, self._idf[""]), [w]) for w in words]

    def _oov(self, words: list[tuple[float, list[str]]]) -> float:
        """Share of the query's own words (not synonym groups) that no clause uses."""
        own = [forms[0] for _, forms in words if len(forms) == 1]
        return sum(w not in self._idf for w in own) / len(own) if own else 1.0


def confidence(evidence: dict[str, float], cal: Calibration) -> float:
    """Evidence of a search and the calibration → the score compared with cal.threshold."""
    return (evidence["cosine"] + cal.coverage_weight * evidence["coverage"] - cal.oov_weight * evidence["oov"]
            + cal.gap_weight * evidence["gap"] + cal.asked_answer_weight * evidence.get("asked", 0.0)
            - cal.elsewhere_weight * evidence.get("elsewhere", 0.0))
