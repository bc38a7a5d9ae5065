"""Backups of every store, taken while the services run, and their restore.

Usage: python -m server.backup create DIR [--skip-missing]
       python -m server.backup restore DIR [--force]

Stores, located by the same settings the services read:
  tracker  Rasa's conversations: the tracker store of $RASA_ENDPOINTS (bot/endpoints.yml) — SQLite
           (TRACKER_DB) copied with SQLite's online backup API, or PostgreSQL (TRACKER_DB_*) with pg_dump;
  records  handoff requests and feedback (ACTIONS_DB_PATH), SQLite's backup API;
  sources  the document library (KNOWLEDGE_SOURCES_DIR): every file, sidecars included.
DIR gets one file per database, a sources/ folder and manifest.json (what, from where, when,
SHA-256 of every file), written last: a folder without a manifest is not a backup. Restore checks
every checksum before it writes anything, and refuses to write over a store that holds data
unless --force.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from actions import store
from knowledge.config import KnowledgeSettings
from server.launcher import ROOT, TRACKER_DB

FORMAT = 1
MANIFEST = "manifest.json"
DEFAULTS = {"TRACKER_DB": str(TRACKER_DB)}  # what the launcher sets when the environment does not
SETTINGS = {"tracker": "TRACKER_DB", "records": "ACTIONS_DB_PATH", "sources": "KNOWLEDGE_SOURCES_DIR",  # store → its setting
            "library": "KNOWLEDGE_LIBRARY_DIR", "library_files": "KNOWLEDGE_LIBRARY_DIR"}
OPTIONAL = ("library", "library_files")  # absent until staff upload a first document


class BackupError(RuntimeError):
    """A backup or restore cannot go on: the message names the path or the setting to fix."""


@dataclass(frozen=True)
class Postgres:
    """Connection settings of a PostgreSQL tracker store (password never printed or stored)."""

    host: str
    port: int
    db: str
    user: str
    password: str | None

    def args(self) -> list[str]:
        return ["-h", self.host, "-p", str(self.port), "-U", self.user]

    def env(self) -> dict[str, str]:
        return {**os.environ, **({"PGPASSWORD": self.password} if self.password else {})}

    def __str__(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.db} (TRACKER_DB_*)"


@dataclass(frozen=True)
class Stores:
    """Where each store lives, as configured."""

    tracker: Path | Postgres
    records: Path
    sources: Path
    library: Path  # the console's document library: uploads, metadata and change log (SQLite)
    library_files: Path  # its published files, built beside the sources


def configured() -> Stores:
    """The environment → the stores the services use."""
    endpoints = Path(os.environ.get("RASA_ENDPOINTS") or ROOT / "bot" / "endpoints.yml")
    endpoints = endpoints if endpoints.is_absolute() else ROOT / endpoints
    knowledge = KnowledgeSettings()
    return Stores(tracker=_tracker_store(endpoints), records=store.db_path(), sources=knowledge.sources_dir,
                  library=knowledge.library_dir / "library.db", library_files=knowledge.library_sources)


def _tracker_store(endpoints: Path) -> Path | Postgres:
    """Rasa's endpoints file, ${VARS} expanded as Rasa does → the SQLite file or the PostgreSQL database."""
    try:
        section = (yaml.safe_load(endpoints.read_text("utf-8")) or {}).get("tracker_store") or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BackupError(f"{endpoints} (RASA_ENDPOINTS) cannot be read: {exc}") from exc
    section = {key: _expand(endpoints, key, value) for key, value in section.items()}
    dialect = section.get("dialect", "sqlite")
    if str(section.get("type", "")).lower() != "sql" or dialect not in ("sqlite", "postgresql"):
        raise BackupError(f"{endpoints}: tracker_store must be type SQL with dialect sqlite or postgresql to be backed up")
    if dialect == "sqlite":
        db = Path(section.get("db") or "rasa.db")  # Rasa's default; relative to where Rasa runs (the project root)
        return db if db.is_absolute() else ROOT / db
    return Postgres(host=section.get("url") or "localhost", port=int(section.get("port") or 5432),
                    db=section.get("db") or "rasa", user=section.get("username") or "postgres", password=section.get("password"))


def _expand(endpoints: Path, key: str, value):
    """One endpoints value → ${VAR} replaced from the environment; an unset variable names itself."""
    if not isinstance(value, str):
        return value

    def variable(match: re.Match) -> str:
        found = os.environ.get(match[1]) or DEFAULTS.get(match[1])
        if found is None:
            raise BackupError(f"{endpoints}: tracker_store.{key} needs the environment variable {match[1]}, which is not set")
        return found

    return re.sub(r"\$\{(\w+)\}", variable, value)


# ---------------------------------------------------------------- create


def create(target: Path, skip_missing: bool = False) -> dict:
    """Back up every configured store into the new folder target → the manifest."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} already exists and is not empty: a backup goes into a new folder")
    stores = configured()
    work = target.with_name(f".{target.name}.partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        entries = _dump_all(stores, work, skip_missing)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # no half backup left behind
        raise
    manifest = {"format": FORMAT, "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "host": socket.gethostname(), "stores": entries}
    (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")  # last: marks it complete
    if target.exists():
        target.rmdir()
    work.rename(target)
    return manifest


def _dump_all(stores: Stores, work: Path, skip_missing: bool) -> dict:
    """Every store into work → {store: its manifest entry}; a missing store fails unless skip_missing."""
    entries = {}
    for name, dump in (("tracker", lambda: _dump_tracker(stores.tracker, work)),
                       ("records", lambda: _dump_sqlite(stores.records, work, "records.db", SETTINGS["records"])),
                       ("sources", lambda: _dump_folder(stores.sources, work, SETTINGS["sources"])),
                       ("library", lambda: _dump_sqlite(stores.library, work, "library.db", SETTINGS["library"])),
                       ("library_files", lambda: _dump_folder(stores.library_files, work, SETTINGS["library_files"],
                                                              "library-files"))):
        try:
            entries[name] = dump()
        except FileNotFoundError as exc:
            if not skip_missing and name not in OPTIONAL:
                raise BackupError(f"{exc} (--skip-missing backs up the other stores)") from exc
            entries[name] = {"kind": "missing", "source": str(exc)}
    return entries


def _dump_tracker(tracker: Path | Postgres, work: Path) -> dict:
    if isinstance(tracker, Postgres):
        return _dump_postgres(tracker, work)
    return _dump_sqlite(tracker, work, "tracker.db", SETTINGS["tracker"])


def _dump_sqlite(source: Path, work: Path, name: str, setting: str) -> dict:
    """A live SQLite file → a consistent copy (one backup step: a single read snapshot) and its entry."""
    if not source.is_file():
        raise FileNotFoundError(f"{source} ({setting}) does not exist")
    copy = work / name
    try:
        with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            rows = {table: dst.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in _tables(dst)}
    except sqlite3.Error as exc:
        raise BackupError(f"{source} ({setting}) cannot be backed up: {exc}") from exc
    return {"kind": "sqlite", "source": str(source), "setting": setting, "rows": rows, "files": {name: _sha256(copy)}}


def _dump_postgres(pg: Postgres, work: Path) -> dict:
    """pg_dump (one transaction snapshot, custom format) → its entry."""
    name = "tracker.pgdump"
    _run("pg_dump", [*pg.args(), "--format=custom", "--no-owner", "--file", str(work / name), pg.db], pg)
    return {"kind": "postgresql", "source": str(pg), "setting": "TRACKER_DB_*", "files": {name: _sha256(work / name)}}


def _dump_folder(source: Path, work: Path, setting: str, folder: str = "sources") -> dict:
    """A folder of documents → a copy of every file under work/folder and its entry."""
    if not source.is_dir():
        raise FileNotFoundError(f"{source} ({setting}) is not a folder")
    files = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = Path(folder) / path.relative_to(source)
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, work / relative)
        files[relative.as_posix()] = _sha256(work / relative)
    return {"kind": "folder", "source": str(source), "setting": setting, "folder": folder, "files": files}


# ---------------------------------------------------------------- restore


def restore(source: Path, force: bool = False) -> tuple[dict, dict[str, str]]:
    """A backup folder → every store written back where the settings point; → (manifest, {store: where})."""
    manifest = read_manifest(source)
    stores = configured()
    plan = [(name, entry, getattr(stores, name)) for name, entry in manifest["stores"].items() if entry["kind"] != "missing"]
    for name, entry, target in plan:
        _check_kind(name, entry, target)
    occupied = [] if force else [_where(name, target) for name, _, target in plan if _holds_data(name, target)]
    if occupied:
        raise BackupError("refusing to overwrite stores that hold data — " + "; ".join(occupied)
                          + " (point the settings at fresh locations, or pass --force)")
    for name, entry, target in plan:
        if isinstance(target, Postgres):
            _run("pg_restore", [*target.args(), "--no-owner", "--single-transaction", "--exit-on-error",
                                *(["--clean", "--if-exists"] if force else []), "-d", target.db,
                                str(source / next(iter(entry["files"])))], target)
        elif entry["kind"] == "sqlite":
            _restore_sqlite(source / next(iter(entry["files"])), target, name)
        else:
            _restore_folder(source / entry.get("folder", "sources"), target)
    return manifest, {name: str(target) for name, _, target in plan}


def read_manifest(source: Path) -> dict:
    """A backup folder → its manifest, after checking every file against its checksum."""
    try:
        manifest = json.loads((source / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST} cannot be read ({exc}): not a complete backup") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST}: backup format {manifest.get('format')!r}, this code reads {FORMAT}")
    for entry in manifest["stores"].values():
        for name, digest in entry.get("files", {}).items():
            if not (source / name).is_file() or _sha256(source / name) != digest:
                raise BackupError(f"{source / name} is missing or does not match its checksum in {MANIFEST}: the backup is damaged")
    return manifest


def _where(name: str, target: Path | Postgres) -> str:
    """→ the store's place and the setting that chooses it."""
    return f"{name}: {target}" if isinstance(target, Postgres) else f"{name}: {target} ({SETTINGS[name]})"


def _check_kind(name: str, entry: dict, target: Path | Postgres) -> None:
    if (entry["kind"] == "postgresql") != isinstance(target, Postgres):
        configured_as = "PostgreSQL" if isinstance(target, Postgres) else f"SQLite ({target})"
        raise BackupError(f"the backup's {name} store is {entry['kind']} but RASA_ENDPOINTS selects {configured_as}: "
                          "restore with the endpoints file the backup was taken with")


def _holds_data(name: str, target: Path | Postgres) -> bool:
    """True when writing the backup there would destroy something."""
    if isinstance(target, Postgres):
        return _psql(target, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") != "0"
    if target.is_dir():
        return any(p.is_file() for p in target.rglob("*"))
    if not target.is_file():
        return False
    try:
        with closing(sqlite3.connect(target, timeout=30)) as conn:
            return any(conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in _tables(conn))
    except sqlite3.Error as exc:
        raise BackupError(f"{_where(name, target)} cannot be read ({exc}): move it aside or pass --force") from exc


def _restore_sqlite(copy: Path, target: Path, name: str) -> None:
    """The backup copy → target, through the backup API (safe even when a process has the file open)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as src, closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"{_where(name, target)} cannot be written: {exc}") from exc


def _restore_folder(copy: Path, target: Path) -> None:
    """The backed-up library → target, swapped in whole (a reader sees the old or the new folder)."""
    fresh, old = target.with_name(f".{target.name}.restoring"), target.with_name(f".{target.name}.replaced")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    if copy.is_dir():
        shutil.copytree(copy, fresh)
    else:
        fresh.mkdir(parents=True)  # the library was empty when backed up
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------- helpers


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(tool: str, args: list[str], pg: Postgres) -> str:
    """A PostgreSQL client tool → its output; failures name the tool, the database and its message."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (Debian package postgresql-client)")
    done = subprocess.run([path, *args], env=pg.env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} on {pg} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def _psql(pg: Postgres, sql: str) -> str:
    return _run("psql", [*pg.args(), "-d", pg.db, "-v", "ON_ERROR_STOP=1", "-tAc", sql], pg)


def _summary(manifest: dict, placed: dict[str, str] | None = None) -> str:
    """→ one line per store: kind, where it came from (and where it went), rows or files."""
    lines = []
    for name, entry in manifest["stores"].items():
        detail = ", ".join(f"{t} {n}" for t, n in entry.get("rows", {}).items()) or f"{len(entry.get('files', {}))} file(s)"
        where = f"{entry['source']} → {placed[name]}" if placed and name in placed else entry["source"]
        lines.append(f"  {name:<8} {entry['kind']:<10} {where}  ({detail})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.backup", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="back up every store into a new folder")
    make.add_argument("folder", type=Path)
    make.add_argument("--skip-missing", action="store_true", help="back up the other stores when one does not exist yet")
    back = commands.add_parser("restore", help="write a backup back where the settings point")
    back.add_argument("folder", type=Path)
    back.add_argument("--force", action="store_true", help="overwrite stores that already hold data")
    args = parser.parse_args(argv)
    try:
        if args.command == "create":
            manifest = create(args.folder, args.skip_missing)
            print(f"backup {args.folder} ({manifest['created']}):\n{_summary(manifest)}")
        else:
            manifest, placed = restore(args.folder, args.force)
            print(f"restored {args.folder} (taken {manifest['created']} on {manifest['host']}):\n{_summary(manifest, placed)}")
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
