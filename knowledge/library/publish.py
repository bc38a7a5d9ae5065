"""The library's changes, each logged and undoable: upload (a draft, previewed), publish, edit metadata,
withdraw, undo. A change to what is published writes the published files (with their overrides as
`NAME.meta.yaml` sidecars) to the library's sources folder, rebuilds the index beside the shipped sources
(vectors of unchanged clauses reused) and swaps `current`: the servers' LiveRetriever follows without a
restart. All of it happens inside the store's locked change, so two editors cannot publish at once: the
second is told the library changed (Conflict) and nothing of theirs is applied.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePath

import yaml

from knowledge.config import KnowledgeSettings
from knowledge.embed import Embedder
from knowledge.index import _point_current, build_with_report
from knowledge.library import preview as pv
from knowledge.library.store import DISCARDED, DRAFT, PUBLISHED, WITHDRAWN, Conflict, Entry, LibraryStore
from knowledge.types import Clause, Document

log = logging.getLogger(__name__)
ACTIONS = {"publish": "发布", "edit": "修改元数据", "withdraw": "撤回", "undo": "撤销", "upload": "上传"}


class PublishFailed(ValueError):
    """A change whose build would not include the document; the message is Chinese, for the editor."""


def stored_name(entry: Entry) -> str:
    """An entry → the file name it is built under (never the uploaded name: no path can come from outside)."""
    return f"library-{entry.id:05d}{PurePath(entry.name).suffix.lower()}"


class Library:
    """The document library over one store, building into the index the settings name."""

    def __init__(self, settings: KnowledgeSettings, embedder: Embedder, store: LibraryStore | None = None):
        self.settings, self.embedder = settings, embedder
        self.store = store or LibraryStore(settings)

    # ------------------------------------------------------------------ changes

    def upload(self, name: str, data: bytes, who: str, limit_mb: int) -> Entry:
        """A file from an editor → a stored draft entry (nothing published); UploadRefused for a bad name or size."""
        name = pv.check_name(name)
        pv.check_size(data, min(limit_mb, self.settings.max_source_mb))
        return self.store.add_entry(name, hashlib.sha256(data).hexdigest(), data, who)

    def publish(self, entry_id: int, base_version: int, who: str) -> dict:
        """A draft or withdrawn entry → published and live; PublishFailed when it cannot be read or placed."""
        entry = self._entry(entry_id, (DRAFT, WITHDRAWN))
        return self._apply(entry, {"state": PUBLISHED, "meta": entry.meta}, base_version, who, "publish")

    def edit(self, entry_id: int, meta: dict, base_version: int, who: str) -> dict:
        """New metadata overrides (status, region, superseded_by) → stored, and live when the entry is published."""
        entry = self._entry(entry_id, (DRAFT, PUBLISHED, WITHDRAWN))
        return self._apply(entry, {"state": entry.state, "meta": pv.check_meta(meta)}, base_version, who, "edit")

    def withdraw(self, entry_id: int, base_version: int, who: str) -> dict:
        """A published entry → withdrawn: rebuilt without it, no longer cited."""
        entry = self._entry(entry_id, (PUBLISHED,))
        return self._apply(entry, {"state": WITHDRAWN, "meta": entry.meta}, base_version, who, "withdraw")

    def undo(self, change_id: int, base_version: int, who: str) -> dict:
        """A logged change → its entry put back as it was before it (itself a logged change)."""
        change = self.store.change_record(change_id)
        if change is None:
            raise LookupError(f"没有编号为 {change_id} 的更改记录。")
        if change["undone_by"]:
            raise Conflict("该更改已经撤销过了。")
        entry = self.store.entry(change["entry_id"])
        if entry is None or entry.snapshot() != change["after"]:
            raise Conflict("该文件在这次更改之后又有更改，请先撤销较新的更改。")
        before = change["before"] or {"state": DISCARDED, "meta": entry.meta}
        return self._apply(entry, before, base_version, who, "undo", undoes=change_id)

    def _entry(self, entry_id: int, states: tuple[str, ...]) -> Entry:
        entry = self.store.entry(entry_id)
        if entry is None or entry.state == DISCARDED:
            raise LookupError(f"文件库中没有编号为 {entry_id} 的文件。")
        if entry.state not in states:
            raise Conflict(f"该文件当前状态为「{STATE_NAMES[entry.state]}」，不能执行此操作。")
        return entry

    def _apply(self, entry: Entry, after: dict, base_version: int, who: str, action: str, undoes: int = 0) -> dict:
        """One locked change: check the draft reads, log it, rebuild when the published set changes → the result."""
        if after["state"] == PUBLISHED:
            check = pv.preview(entry.name, entry.data, after["meta"], [], [])
            if not check["ok"]:
                raise PublishFailed(f"无法发布「{entry.name}」：{check['error']}")
        with self.store.change(base_version) as tx:
            summary = f"{ACTIONS[action]}「{entry.name}」" + (f"（撤销第 {undoes} 号更改）" if undoes else "")
            change_id = tx.set_entry(entry, after, who, action, summary)
            if undoes:
                tx.mark_undone(undoes, change_id)
            if PUBLISHED in (entry.state, after["state"]):
                published = [e for e in self.store.entries(with_data=True) if e.state == PUBLISHED and e.id != entry.id]
                if after["state"] == PUBLISHED:
                    published.append(Entry(**{**entry.__dict__, **after}))
                key, packed = self._rebuild(published, entry if after["state"] == PUBLISHED else None)
                tx.keep_build(key, packed)
        return {"version": tx.version, "change_id": change_id, "entry": self.store.entry(entry.id).to_dict()}

    # ------------------------------------------------------------------ building

    def _rebuild(self, published: list[Entry], added: Entry | None) -> tuple[str, bytes | None]:
        """Published entries → their files in the library's sources folder and a new current build → (its key,
        the packed build when other hosts need it); the previous folder is restored when the build fails."""
        target = self.settings.library_sources
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=".sources-", dir=target.parent))
        old = target.parent / f".sources-old-{os.getpid()}"
        for entry in published:
            (fresh / stored_name(entry)).write_bytes(entry.data)
            if entry.meta:
                sidecar = fresh / (Path(stored_name(entry)).stem + ".meta.yaml")
                sidecar.write_text(yaml.safe_dump(entry.meta, allow_unicode=True), "utf-8")
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
        link = self.settings.index_dir / "current"
        serving = os.readlink(link) if link.is_symlink() else None
        try:
            folder, corpus = build_with_report(self.settings, self.embedder, progress=False)
            if added is not None:
                _check_built(added, corpus)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            if old.exists():
                os.replace(old, target)
            if serving is not None:  # the build that was current before serves again
                _point_current(self.settings.index_dir, self.settings.index_dir / serving)
            raise
        shutil.rmtree(old, ignore_errors=True)
        key = folder.name
        return key, pack(folder) if self.store.shared else None

    # ------------------------------------------------------------------ reading

    def listing(self, documents: list[Document], clauses: list[Clause]) -> dict:
        """The index now served → {"version", "documents": metadata + library entry, "entries", "changes"}."""
        version, _ = self.store.version()
        entries = self.store.entries()
        by_file = {stored_name(e): e.id for e in entries}
        counts: dict[str, int] = {}
        for c in clauses:
            counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        docs = [pv._metadata(d) | {"clauses": counts.get(d.doc_id, 0), "notes": len(d.notes) + len(d.copies),
                                   "entry_id": by_file.get(d.source)} for d in documents]
        return {"version": version, "documents": docs, "entries": [e.to_dict() for e in entries]}

    def entry_preview(self, entry_id: int, documents: list[Document], clauses: list[Clause]) -> dict:
        """An entry → its preview against the index now served (a published entry is compared with the rest)."""
        entry = self.store.entry(entry_id)
        if entry is None or entry.state == DISCARDED:
            raise LookupError(f"文件库中没有编号为 {entry_id} 的文件。")
        own = stored_name(entry)
        others = [d for d in documents if d.source != own]
        return entry.to_dict() | {"preview": pv.preview(entry.name, entry.data, entry.meta, others, clauses)}


STATE_NAMES = {DRAFT: "草稿（未发布）", PUBLISHED: "已发布", WITHDRAWN: "已撤回", DISCARDED: "已放弃"}


def _check_built(entry: Entry, corpus) -> None:
    """PublishFailed when the build left the entry's file out or found it repeats another file."""
    name = stored_name(entry)
    report = next((f for f in corpus.files if f.source == name), None)
    repeated = report is not None and report.role == "duplicate" or any(
        f.role == "duplicate" and f.detail.endswith(f" {name}") for f in corpus.files)  # files are read in name order
    if report is None or report.role == "left out" or repeated:
        why = "与文件库中已有的文件内容完全相同" if repeated else "构建时无法解析"
        raise PublishFailed(f"无法发布「{entry.name}」：{why}。")


def pack(folder: Path) -> bytes:
    """A build folder → a gzipped tar of its files (names relative to it)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(folder, arcname=".")
    return buffer.getvalue()
