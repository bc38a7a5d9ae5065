"""End-to-end fixtures: a real trained Rasa model, a real action server and Rasa server on free ports."""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from server import training
from server.launcher import actions_command, gateway_command, rasa_command, wait_until_up, warm_rasa
from tests.e2e.services import free_port

ROOT = Path(__file__).resolve().parents[2]


def wait_for(url: str, process: subprocess.Popen, timeout_s: float = 600) -> None:
    """Block until url answers 200 (the launcher's own check; loading a Rasa model took almost 4 minutes on a busy machine)."""
    wait_until_up(str(process.args[0]), url, process, timeout_s)


_training: dict = {}  # the background training of this session: {"process", "log"}


def pytest_collection_finish(session: pytest.Session) -> None:
    """When a selected test needs the Rasa model and it is missing or stale (a fresh clone), start training it
    now in the background: it overlaps the unit and model tiers, which run first (tests/conftest.py)."""
    if session.config.option.collectonly or not training.stale():
        return
    if any("rasa_model" in getattr(item, "fixturenames", ()) for item in session.items):
        log = tempfile.NamedTemporaryFile("w+", prefix="rasa-train-", suffix=".log", delete=False)
        _training.update(process=training.start(log=log), log=log)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A session that ends before any test waited for the training (a failure with -x) stops it."""
    if (process := _training.pop("process", None)) and process.poll() is None:
        process.terminate()
        process.wait(30)


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    """The trained model (trained once when missing or stale, in the background since collection; cached in models/)."""
    if process := _training.pop("process", None):
        try:
            training.finish(process)
        except subprocess.CalledProcessError:
            log = _training["log"]
            log.seek(0)
            pytest.fail(f"rasa train failed (exit {process.returncode}); its log {log.name} ends:\n{log.read()[-3000:]}")
        _training["log"].close()
        os.unlink(_training["log"].name)  # kept only when the training failed
    elif training.stale():
        training.train()
    return training.MODEL


@pytest.fixture(scope="session")
def rasa_stack(rasa_model, built_settings, tmp_path_factory):
    """Action server + Rasa server (SQLite tracker store) → {"rasa", "actions", "db", "tracker_db", "logs"}."""
    work = tmp_path_factory.mktemp("stack")
    tracker_db = work / "tracker.db"
    endpoints = work / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: ${ACTION_ENDPOINT_URL}\n"
                         f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n", "utf-8")
    with stack(rasa_model, built_settings.index_dir, work, endpoints) as urls:
        yield urls | {"tracker_db": tracker_db}


@contextmanager
def stack(model: Path, index_dir: Path, work: Path, endpoints: Path, extra_env: dict | None = None):
    """Action server + Rasa server with `endpoints` (which reads ${ACTION_ENDPOINT_URL}) on free ports
    → {"rasa", "actions", "db", "logs"}; both stopped on exit."""
    ports = {"rasa": free_port(), "actions": free_port()}
    urls = {"rasa": f"http://127.0.0.1:{ports['rasa']}", "actions": f"http://127.0.0.1:{ports['actions']}",
            "db": work / "records.db", "logs": work}
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "KNOWLEDGE_INDEX_DIR": str(index_dir),
           "ACTIONS_DB_PATH": str(urls["db"]), "ACTION_ENDPOINT_URL": f"{urls['actions']}/webhook", **(extra_env or {})}
    logs = {name: open(work / f"{name}.log", "w") for name in ports}
    processes = {
        "actions": subprocess.Popen(actions_command(ports["actions"]), cwd=ROOT, env=env, stdout=logs["actions"],
                                    stderr=subprocess.STDOUT),
        "rasa": subprocess.Popen(rasa_command(model, endpoints, ports["rasa"]), cwd=ROOT, env=env,
                                 stdout=logs["rasa"], stderr=subprocess.STDOUT),
    }
    try:
        wait_for(f"{urls['actions']}/health", processes["actions"])
        wait_for(f"{urls['rasa']}/", processes["rasa"])
        warm_rasa(urls["rasa"])  # as the launcher does: the first turn of a test is not the one tracing TensorFlow
        yield urls | {"env": env, "processes": processes, "ports": ports, "model": model, "endpoints": endpoints}
    finally:
        stop_all(processes.values())
        for f in logs.values():
            f.close()


@pytest.fixture(scope="session")
def spare_stack(rasa_model, built_settings, tmp_path_factory):
    """A second action server + Rasa server (SQLite tracker store) for the tests that kill, freeze and restart
    them (test_faults, test_hangs), so the shared stack never sees a fault → like rasa_stack. Started once for
    all of them (each start loads a Rasa model); use it through `spare`, which restarts what a test left dead."""
    work = tmp_path_factory.mktemp("spare")
    endpoints = work / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: ${ACTION_ENDPOINT_URL}\n"
                         f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {work / 'tracker.db'}\n", "utf-8")
    with stack(rasa_model, built_settings.index_dir, work, endpoints) as s:
        yield s


@pytest.fixture
def spare(spare_stack):
    """spare_stack for one test; afterwards a process the test killed (and did not restart) is started again."""
    yield spare_stack
    for name, process in spare_stack["processes"].items():
        if process.poll() is not None:
            restart(spare_stack, name)


def restart(s: dict, name: str) -> None:
    """Start stack s's "rasa" or "actions" again on its own port, as before, and wait until it answers."""
    ports = s["ports"]
    command = rasa_command(s["model"], s["endpoints"], ports["rasa"]) if name == "rasa" else actions_command(ports["actions"])
    with open(s["logs"] / f"{name}.log", "a") as log:
        s["processes"][name] = subprocess.Popen(command, cwd=ROOT, env=s["env"], stdout=log, stderr=subprocess.STDOUT)
    wait_for(f"{s[name]}/health" if name == "actions" else f"{s[name]}/", s["processes"][name])


def stop_all(processes) -> None:
    """SIGTERM, then SIGKILL whatever is still alive after 20 s."""
    for p in processes:
        p.terminate()
    for p in processes:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


STAFF_TOKEN = "test-staff-token"
WECHAT_TOKEN = "test-wechat-token"


@pytest.fixture(scope="session")
def gateway(rasa_stack, built_settings):
    """The FastAPI gateway (uvicorn) in front of rasa_stack, staff console enabled → its base URL."""
    with gateway_process(rasa_stack, built_settings.index_dir, free_port()) as url:
        yield url


@contextmanager
def gateway_process(rasa_stack: dict, index_dir: Path, port: int, extra_env: dict | None = None):
    """A gateway process in front of a stack on `port` (settings in extra_env win) → its base URL; stopped on exit."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KNOWLEDGE_INDEX_DIR": str(index_dir),
           "ACTIONS_DB_PATH": str(rasa_stack["db"]), "POLICY_RASA_URL": rasa_stack["rasa"],
           "POLICY_ACTIONS_URL": rasa_stack["actions"], "POLICY_STAFF_TOKEN": STAFF_TOKEN,
           "POLICY_RATE_LIMIT_PER_MINUTE": "10000", "POLICY_WECHAT_TOKEN": WECHAT_TOKEN, "POLICY_WECHAT_APP_ID": "wx-test",
           "POLICY_RASA_TIMEOUT_S": "30",  # a busy test machine must not turn slow web turns into fallbacks (test_hangs sets 3)
           **(extra_env or {})}
    log = open(rasa_stack["logs"] / f"gateway-{port}.log", "w")
    process = subprocess.Popen(gateway_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_all([process])
        log.close()
