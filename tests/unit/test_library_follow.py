"""Replicas following the library's build (knowledge/library/follow.py) over the store's SQLite dialect: a
changed build key is unpacked and made current once; a packed build with a path out of the index is refused."""

import io
import os
import tarfile

import pytest

from knowledge.config import KnowledgeSettings
from knowledge.library.follow import Follower
from knowledge.library.publish import pack
from knowledge.library.store import LibraryStore


def settings(tmp_path, name: str) -> KnowledgeSettings:
    return KnowledgeSettings(index_dir=tmp_path / f"index-{name}", library_dir=tmp_path / "library")


def publish_build(store: LibraryStore, key: str, data: bytes) -> None:
    version, _ = store.version()
    with store.change(version) as tx:
        tx.keep_build(key, data)


def test_a_replica_unpacks_a_new_build_once_and_points_current_at_it(tmp_path):
    store = LibraryStore(settings(tmp_path, "a"))
    build = tmp_path / "made" / "0123456789abcdef"
    build.mkdir(parents=True)
    (build / "manifest.json").write_text('{"key": "0123456789abcdef"}')
    (build / "bm25").mkdir()
    (build / "bm25" / "vocab.json").write_text("{}")
    follower = Follower(settings(tmp_path, "b"), store)
    assert follower() is False  # nothing published yet
    publish_build(store, build.name, pack(build))
    assert follower() is True
    current = tmp_path / "index-b" / "current"
    assert os.readlink(current) == "builds/0123456789abcdef" and (current / "bm25" / "vocab.json").read_text() == "{}"
    assert follower() is False  # followed once


def test_a_packed_build_reaching_outside_the_index_is_refused(tmp_path):
    store = LibraryStore(settings(tmp_path, "a"))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    publish_build(store, "fedcba9876543210", buffer.getvalue())
    with pytest.raises(tarfile.FilterError):
        Follower(settings(tmp_path, "b"), store)()
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "index-b" / "current").exists()
    assert [p.name for p in (tmp_path / "index-b" / "builds").iterdir()] == []
