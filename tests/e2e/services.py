"""Debian's PostgreSQL and Redis servers started on loopback for a test, in a folder of their own."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

PG_USER, PG_DB = "policy", "rasa"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise FileNotFoundError(f"PostgreSQL's {name} is missing: `make test` installs the postgresql package")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: under root, run as the `postgres` system user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres():
    """A fresh cluster on a free loopback port → {"host", "port", "user", "db"}; removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="policy-pg-"))
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    data, port = work / "data", free_port()
    run = lambda cmd: subprocess.run(_as_postgres(cmd), check=True, capture_output=True)  # noqa: E731
    try:
        run([_pg_bin("initdb"), "-D", str(data), "-U", PG_USER, "-A", "trust", "-E", "UTF8"])
        run([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(work / "log"), "-w", "-o",
             f"-p {port} -k {work} -c listen_addresses=127.0.0.1", "start"])
        run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", PG_USER, PG_DB])
        yield {"host": "127.0.0.1", "port": port, "user": PG_USER, "db": PG_DB}
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def psql(pg: dict, sql: str) -> str:
    """One SQL statement through the psql client → its unaligned output."""
    out = subprocess.run(["psql", "-h", pg["host"], "-p", str(pg["port"]), "-U", pg["user"], "-d", pg["db"], "-tAc", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


@contextmanager
def redis():
    """redis-server on a free loopback port, no persistence → {"host", "port"}."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not redis_command(port, "PING").startswith("+PONG"):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
        yield {"host": "127.0.0.1", "port": port}
    finally:
        process.terminate()
        process.wait(10)


def redis_command(port: int, *args: str) -> str:
    """One inline Redis command → the raw reply ('' when the server is not up)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall((" ".join(args) + "\r\n").encode())
            return s.recv(65536).decode()
    except OSError:
        return ""
