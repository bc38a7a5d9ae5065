"""Re-indexing while serving: `python -m knowledge build` on changed sources, run while the gateway
answers searches without pause, swaps the new index in with zero failed requests."""

import os
import subprocess
import threading
import time

import httpx
import pytest

from knowledge.config import KnowledgeSettings
from knowledge.index import build
from server.launcher import APP_PY, gateway_command
from tests.conftest import OFFICIAL, SCRAPE, copy_sources
from tests.e2e.conftest import ROOT, free_port, stop_all, wait_for

pytestmark = pytest.mark.integration


def hammer(url: str, stop: threading.Event, outcomes: list) -> None:
    """Search without pause until told to stop; record every status (or the exception's name)."""
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            try:
                outcomes.append(client.post(url, json={"query": "高校毕业生求职创业补贴", "top_k": 3}).status_code)
            except httpx.HTTPError as exc:
                outcomes.append(type(exc).__name__)


def test_reindex_while_serving_swaps_atomically(tmp_path, embedder):
    sources = copy_sources(tmp_path, OFFICIAL)
    settings = KnowledgeSettings(index_dir=tmp_path / "index", sources_dir=sources)
    build(settings, embedder, progress=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KNOWLEDGE_INDEX_DIR": str(settings.index_dir),
           "KNOWLEDGE_SOURCES_DIR": str(sources), "POLICY_RATE_LIMIT_PER_MINUTE": "1000000"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gateway = subprocess.Popen(gateway_command(port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop, outcomes = threading.Event(), []
    try:
        wait_for(f"{base}/healthz", gateway)
        before = httpx.get(f"{base}/readyz").json()["index_key"]
        workers = [threading.Thread(target=hammer, args=(f"{base}/api/search", stop, outcomes)) for _ in range(2)]
        for w in workers:
            w.start()
        (sources / SCRAPE.name).write_bytes(SCRAPE.read_bytes())  # an operator adds the web copy
        subprocess.run([str(APP_PY), "-m", "knowledge", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
        after = _wait_for_new_key(base, before)
        served_after_swap = len(outcomes)
        _wait_until(lambda: len(outcomes) > served_after_swap + 20)
    finally:
        stop.set()
        stop_all([gateway])
    assert after != before
    assert outcomes and set(outcomes) == {200}, {o for o in outcomes if o != 200}


def _wait_for_new_key(base: str, old: str, timeout_s: float = 60) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        key = httpx.get(f"{base}/readyz").json()["index_key"]
        if key != old:
            return key
        time.sleep(0.2)
    raise AssertionError("the gateway never swapped in the new index")


def _wait_until(condition, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
