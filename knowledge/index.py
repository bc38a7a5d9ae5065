"""Index: Corpus → an index folder (clause store, FAISS vectors, BM25), written atomically; and back.

Layout under the index dir:
    builds/<key>/   manifest.json, documents.json, clauses.json, dense.faiss, bm25/,
                    asked.json, asked.faiss (the questions clauses answer: knowledge/asked.py),
                    elsewhere.json, elsewhere.faiss (questions answered elsewhere: knowledge/elsewhere.py)
    current         symlink → builds/<key>, swapped atomically (os.replace) after a build
The key hashes the sources, the elsewhere file, the dictionary, the model and the pipeline version, so a stale
index is detected by comparing keys.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from knowledge import elsewhere
from knowledge.asked import questions_path
from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.embed_cache import EmbeddingCache
from knowledge.errors import IndexMissingError, SettingError
from knowledge.normalize import clean_query
from knowledge.sidecar import sidecar_path
from knowledge.sources import load_corpus, read_text, source_files
from knowledge.tokenize import Tokenizer
from knowledge.types import Clause, Corpus, Document

log = logging.getLogger(__name__)
PIPELINE_VERSION = "5"  # bump when parsing or document metadata changes (4: questions clauses answer, 5: elsewhere)
FILES = ("manifest.json", "documents.json", "clauses.json", "dense.faiss", "bm25", "asked.json", "asked.faiss", "elsewhere.json",
         "elsewhere.faiss")
ARTICLE_LABEL = re.compile(r"^第[一二三四五六七八九十百零〇]+条(之[一二三四五六七八九十]+)?$")
REBUILD_HINT = "rebuild it with: python -m knowledge build (or make index)"


@dataclass
class LoadedIndex:
    """Everything search needs, in memory."""

    path: Path
    key: str
    documents: list[Document]
    clauses: list[Clause]
    dense: object  # faiss.Index
    bm25: object  # bm25s.BM25
    asked: list[tuple[int, str]] = field(default_factory=list)  # (clause index, a question it answers)
    asked_dense: object = None  # faiss.Index: row j = the vector of asked[j]'s question
    elsewhere_rows: list[tuple[int, str]] = field(default_factory=list)  # (topic index, a question answered elsewhere)
    elsewhere_topics: list[elsewhere.Topic] = field(default_factory=list)
    elsewhere_dense: object = None  # faiss.Index: row j = the vector of elsewhere[j]'s question

    @property
    def doc_titles(self) -> dict[str, str]:
        """→ {doc_id: title}."""
        return {d.doc_id: d.title for d in self.documents}

    @functools.cached_property
    def by_id(self) -> dict[str, Document]:
        """→ {doc_id: Document}."""
        return {d.doc_id: d for d in self.documents}

    @functools.cached_property
    def clauses_in_force(self) -> list[Clause]:
        """→ the clauses of documents in force (what citizens may be told)."""
        return [c for c in self.clauses if c.doc_id not in self.by_id or self.by_id[c.doc_id].in_force]


def index_key(settings: KnowledgeSettings, embedder: Embedder) -> str:
    """Sources + dictionary + model + pipeline version → the hex key an up-to-date index carries."""
    h = hashlib.sha256(f"pipeline:{PIPELINE_VERSION}\nmodel:{embedder.fingerprint}\nfaiss:{settings.index_factory}\n".encode())
    h.update(settings.userdict.read_bytes())
    for path in source_files(settings.sources_dir, settings.library_sources):
        h.update(f"\nsource:{path.name}\n".encode())
        h.update(read_text(path).encode())
        for extra in (sidecar_path(path), questions_path(path)):
            if extra.is_file():
                h.update(f"\n{extra.name}\n".encode() + extra.read_bytes())
    if settings.elsewhere.is_file():
        h.update(b"\nelsewhere\n" + settings.elsewhere.read_bytes())
    return h.hexdigest()


def clause_text_for_search(clause: Clause, doc_title: str = "") -> str:
    """A clause → the text both retrievers see: its innermost heading (a law's: title and chapter), then its text."""
    headings = [h for h in clause.path if not ARTICLE_LABEL.match(h)]
    if clause.path and ARTICLE_LABEL.match(clause.path[-1]):  # a law: which law and chapter say a lot
        heading = "".join([doc_title.removeprefix("中华人民共和国")] + headings[-1:])
    else:
        heading = headings[-1] if headings and headings[0] not in ("导语", "结语") else ""
    return f"{heading}：{clause.text}" if heading else clause.text


def clause_words_text(clause: Clause, doc_title: str = "") -> str:
    """A clause → the text a question's words are looked for in (coverage, concept check, the search API's
    group filter): its text, every heading and its document's title, so 「我在广州」 expanded to 广东省 and a
    staff question naming a law find their document."""
    return clause.text + "".join(clause.path) + doc_title


def build(settings: KnowledgeSettings, embedder: Embedder, progress: bool = True) -> Path:
    """Sources → a new complete index build, made current atomically; → the build folder."""
    return build_with_report(settings, embedder, progress)[0]


def build_with_report(settings: KnowledgeSettings, embedder: Embedder, progress: bool = True,
                      strict: bool = False) -> tuple[Path, Corpus]:
    """Sources → (the new current build folder, the corpus with its per-file report); strict: a file
    that cannot be placed fails the build (the previous index stays current)."""
    key = index_key(settings, embedder)
    corpus = load_corpus(settings.sources_dir, strict=strict, extra=settings.library_sources)
    builds = settings.index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    final = builds / key[:16]
    if not _complete(final, key):
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
        try:
            _write(tmp, key, corpus, settings, embedder, progress)
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    _point_current(settings.index_dir, final)
    _prune(builds, keep={final.name}, count=settings.keep_builds)
    return final, corpus


def _write(folder: Path, key: str, corpus: Corpus, settings: KnowledgeSettings, embedder: Embedder, progress: bool) -> None:
    """Write every index file of a build into folder, manifest last."""
    import bm25s
    import faiss

    started = time.perf_counter()
    titles = {d.doc_id: d.title for d in corpus.documents}
    texts = [clause_text_for_search(c, titles.get(c.doc_id, "")) for c in corpus.clauses]
    asked = asked_rows(corpus)
    topics = elsewhere.load(settings.elsewhere)
    other = elsewhere.rows(topics)
    questions = [clean_query(q, settings.max_query_chars) for _, q in asked + other]
    vectors = EmbeddingCache(settings.index_dir, embedder).encode(texts + questions, progress=progress)  # unchanged texts reuse their vectors
    vectors, asked_vectors, other_vectors = vectors[: len(texts)], vectors[len(texts) : len(texts) + len(asked)], vectors[len(texts) + len(asked) :]
    dense = dense_index(settings, vectors)
    faiss.write_index(dense, str(folder / "dense.faiss"))
    for name, found in (("asked", asked_vectors), ("elsewhere", other_vectors)):
        flat = faiss.IndexFlatIP(vectors.shape[1])  # a few thousand short questions: exact search is fast
        flat.add(found)
        faiss.write_index(flat, str(folder / f"{name}.faiss"))
    _write_json(folder / "asked.json", asked)
    _write_json(folder / "elsewhere.json", {"topics": [{"topic": t.topic, "ask": t.ask} for t in topics], "rows": other})
    tokenizer = Tokenizer(settings.userdict)
    bm25 = bm25s.BM25()
    bm25.index([tokenizer.tokens(t) or ["∅"] for t in texts], show_progress=False)
    bm25.save(str(folder / "bm25"), show_progress=False)
    _write_json(folder / "documents.json", [d.to_dict() for d in corpus.documents])
    _write_json(folder / "clauses.json", [c.to_dict() for c in corpus.clauses])
    manifest = {
        "key": key, "pipeline": PIPELINE_VERSION, "model": str(embedder.path), "fingerprint": embedder.fingerprint, "dim": int(vectors.shape[1]),
        "faiss": settings.index_factory,
        "clauses": len(corpus.clauses), "asked": len(asked), "elsewhere": len(other), "documents": [d.doc_id for d in corpus.documents],
        "skipped_sources": corpus.skipped_sources, "files": [asdict(f) for f in corpus.files], "build_seconds": round(time.perf_counter() - started, 2),
    }
    _write_json(folder / "manifest.json", manifest)


def asked_rows(corpus: Corpus) -> list[tuple[int, str]]:
    """A corpus → (clause index, question) for every question a clause answers, in clause order."""
    position = {c.clause_id: i for i, c in enumerate(corpus.clauses) if c.official}
    return [(position[cid], q) for cid, qs in corpus.asked.items() if cid in position for q in qs]


def dense_index(settings: KnowledgeSettings, vectors):
    """Vectors → the FAISS index KNOWLEDGE_INDEX_FACTORY describes (trained on them when it needs it);
    "{nlist}" in the factory string becomes 4·√(number of clauses), at least 64."""
    import faiss

    factory = settings.index_factory.format(nlist=max(64, int(4 * len(vectors) ** 0.5)))  # "IVF{nlist},SQ8"
    try:
        dense = faiss.index_factory(vectors.shape[1], factory, faiss.METRIC_INNER_PRODUCT)
        if not dense.is_trained:
            dense.train(vectors)
    except RuntimeError as exc:
        raise SettingError(f"KNOWLEDGE_INDEX_FACTORY={settings.index_factory!r} cannot index {len(vectors)} vectors: "
                           f"{str(exc).strip().splitlines()[-1]}") from exc
    dense.add(vectors)
    return dense


def search_parameters(settings: KnowledgeSettings, dense) -> None:
    """Apply KNOWLEDGE_INDEX_SEARCH (e.g. "efSearch=256") to a loaded index."""
    import faiss

    if not settings.index_search:
        return
    try:
        faiss.ParameterSpace().set_index_parameters(dense, settings.index_search)
    except RuntimeError as exc:
        raise SettingError(f"KNOWLEDGE_INDEX_SEARCH={settings.index_search!r} does not fit the index "
                           f"({settings.index_factory}): {str(exc).strip().splitlines()[-1]}") from exc


def _write_json(path: Path, data) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())


def _complete(folder: Path, key: str) -> bool:
    """True when folder holds a finished build with this key."""
    try:
        return json.loads((folder / "manifest.json").read_text())["key"] == key and all((folder / f).exists() for f in FILES)
    except (OSError, ValueError, KeyError):
        return False


def _point_current(index_dir: Path, build: Path) -> None:
    """Swap the 'current' symlink to build in one atomic rename."""
    link = index_dir / "current"
    tmp = index_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(build, index_dir), tmp)
    os.replace(tmp, link)


def _prune(builds: Path, keep: set[str], count: int) -> None:
    """Delete old builds beyond the newest `count` (never the kept ones) and stray temp folders."""
    olds = sorted((p for p in builds.iterdir() if p.is_dir() and p.name not in keep and not p.name.startswith(".tmp-")),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for p in olds[max(0, count - len(keep)):]:
        shutil.rmtree(p, ignore_errors=True)


def current_key(settings: KnowledgeSettings) -> str | None:
    """The key of the current build, or None when there is none."""
    try:
        return json.loads((settings.index_dir / "current" / "manifest.json").read_text())["key"]
    except (OSError, ValueError, KeyError):
        return None


def load(settings: KnowledgeSettings) -> LoadedIndex:
    """The current build → LoadedIndex; a missing or corrupt build raises IndexMissingError naming the path."""
    import bm25s
    import faiss

    folder = settings.index_dir / "current"
    if not folder.exists():
        raise IndexMissingError(f"{folder}: no index (setting KNOWLEDGE_INDEX_DIR); {REBUILD_HINT}")
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        documents = [Document.from_dict(d) for d in json.loads((folder / "documents.json").read_text("utf-8"))]
        clauses = [Clause.from_dict(c) for c in json.loads((folder / "clauses.json").read_text("utf-8"))]
        dense = faiss.read_index(str(folder / "dense.faiss"))
        bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
        asked = [(int(i), q) for i, q in json.loads((folder / "asked.json").read_text("utf-8"))]
        asked_dense = faiss.read_index(str(folder / "asked.faiss"))
        other = json.loads((folder / "elsewhere.json").read_text("utf-8"))
        topics = [elsewhere.Topic.model_construct(**t, questions=[]) for t in other["topics"]]  # examples live in the rows
        other_rows = [(int(t), q) for t, q in other["rows"]]
        other_dense = faiss.read_index(str(folder / "elsewhere.faiss"))
    except Exception as exc:  # any unreadable file means the same thing to the operator
        raise IndexMissingError(f"{folder.resolve()}: index is corrupt ({type(exc).__name__}: {exc}); {REBUILD_HINT}") from exc
    search_parameters(settings, dense)
    if dense.ntotal != len(clauses) or manifest.get("clauses") != len(clauses) or asked_dense.ntotal != len(asked) \
            or other_dense.ntotal != len(other_rows):
        raise IndexMissingError(f"{folder.resolve()}: index is inconsistent ({dense.ntotal} vectors, {len(clauses)} clauses); {REBUILD_HINT}")
    return LoadedIndex(folder.resolve(), manifest["key"], documents, clauses, dense, bm25, asked, asked_dense, other_rows, topics, other_dense)


def ensure(settings: KnowledgeSettings, embedder: Embedder, rebuild: bool = True) -> LoadedIndex:
    """Load the index, first rebuilding it when missing or stale (or raising when rebuild=False)."""
    key = index_key(settings, embedder)
    if current_key(settings) != key:
        if not rebuild:
            raise IndexMissingError(f"{settings.index_dir / 'current'}: index missing or stale for the sources in {settings.sources_dir}; {REBUILD_HINT}")
        log.warning("index missing or stale: rebuilding from %s", settings.sources_dir)
        build(settings, embedder)
    return load(settings)
