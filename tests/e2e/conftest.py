"""End-to-end fixtures: a real trained Rasa model, a real action server and Rasa server on free ports."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from server import training
from server.launcher import APP_PY, RASA, wait_until_up

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout_s: float = 240) -> None:
    """Block until url answers 200 (the launcher's own readiness check)."""
    wait_until_up(str(process.args[0]), url, process, timeout_s)


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    """The trained model (trained once here when missing or stale; cached in models/)."""
    if training.stale():
        training.train()
    return training.MODEL


@pytest.fixture(scope="session")
def rasa_stack(rasa_model, built_settings, tmp_path_factory):
    """Action server + Rasa server (SQLite tracker store) → {"rasa": url, "actions": url, "db": path, "tracker_db": path}."""
    work = tmp_path_factory.mktemp("stack")
    ports = {"rasa": free_port(), "actions": free_port()}
    tracker_db = work / "tracker.db"
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{ports['actions']}/webhook\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "KNOWLEDGE_INDEX_DIR": str(built_settings.index_dir),
           "ACTIONS_DB_PATH": str(work / "records.db")}
    logs = {name: open(work / f"{name}.log", "w") for name in ports}
    actions = subprocess.Popen([str(APP_PY), "-m", "rasa_sdk", "--actions", "actions", "--port", str(ports["actions"])],
                               cwd=ROOT, env=env, stdout=logs["actions"], stderr=subprocess.STDOUT)
    rasa = subprocess.Popen([str(RASA), "run", "--enable-api", "--model", str(rasa_model), "--endpoints", str(endpoints),
                             "--credentials", str(ROOT / "bot" / "credentials.yml"), "--port", str(ports["rasa"]), "-i", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=logs["rasa"], stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{ports['actions']}/health", actions)
        wait_for(f"http://127.0.0.1:{ports['rasa']}/", rasa)
        yield {"rasa": f"http://127.0.0.1:{ports['rasa']}", "actions": f"http://127.0.0.1:{ports['actions']}",
               "db": work / "records.db", "tracker_db": tracker_db, "logs": work}
    finally:
        for p in (rasa, actions):
            p.terminate()
        for p in (rasa, actions):
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        for f in logs.values():
            f.close()


STAFF_TOKEN = "test-staff-token"


@pytest.fixture(scope="session")
def gateway(rasa_stack, built_settings):
    """The FastAPI gateway (uvicorn) in front of rasa_stack, staff console enabled → its base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KNOWLEDGE_INDEX_DIR": str(built_settings.index_dir),
           "ACTIONS_DB_PATH": str(rasa_stack["db"]), "POLICY_RASA_URL": rasa_stack["rasa"],
           "POLICY_ACTIONS_URL": rasa_stack["actions"], "POLICY_STAFF_TOKEN": STAFF_TOKEN,
           "POLICY_RATE_LIMIT_PER_MINUTE": "10000"}
    log = open(rasa_stack["logs"] / "gateway.log", "w")
    process = subprocess.Popen([str(APP_PY), "-m", "uvicorn", "--factory", "server.main:app_from_env", "--port", str(port),
                                "--host", "127.0.0.1", "--ws", "none"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
