"""Local launcher for `make run`: start the action server, the Rasa server and the gateway, wait until
each answers warm, print the URLs, and stop all three on Ctrl-C (or when any of them dies).

Warm means the first citizen is answered as fast as the hundredth: the action server and the gateway
load and exercise the knowledge library before they open their port (`actions.serve`, the gateway's
start-up); Rasa loads its model before it answers, and its first inference (NLU and policies, which
trace their TensorFlow graphs on first use) is run here, on a throwaway tracker that is never stored.

Usage: python -m server.launcher [--model models/policy.tar.gz]
Ports come from POLICY_GATEWAY_PORT (8000), POLICY_RASA_PORT (5005), POLICY_ACTIONS_PORT (5055).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PY = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
TRACKER_DB = ROOT / "var" / "tracker.db"  # conversations, unless TRACKER_DB says otherwise


def actions_command(port: int) -> list[str]:
    """→ the command line of the action server on `port` (it loads and warms the knowledge library first)."""
    return [str(APP_PY), "-m", "actions.serve", "--actions", "actions", "--port", str(port)]


def rasa_command(model: Path, endpoints: Path | str, port: int) -> list[str]:
    """→ the command line of a Rasa server with the REST channel and HTTP API on loopback."""
    return [str(RASA), "run", "--enable-api", "--model", str(model), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "bot" / "credentials.yml"), "--port", str(port), "-i", "127.0.0.1"]


def gateway_command(port: int) -> list[str]:
    """→ the command line of the gateway (uvicorn, no websockets: see docs/design.md) on loopback."""
    return [str(APP_PY), "-m", "uvicorn", "--factory", "server.main:app_from_env", "--ws", "none", "--host", "127.0.0.1",
            "--port", str(port)]


def commands(model: Path, ports: dict[str, int]) -> dict[str, tuple[list[str], str]]:
    """Model path and ports → {name: (command, URL that answers 200 when it is up)}."""
    endpoints = os.environ.get("RASA_ENDPOINTS", str(ROOT / "bot" / "endpoints.yml"))
    return {
        "actions": (actions_command(ports["actions"]), f"http://127.0.0.1:{ports['actions']}/health"),
        "rasa": (rasa_command(model, endpoints, ports["rasa"]), f"http://127.0.0.1:{ports['rasa']}/"),
        "gateway": (gateway_command(ports["gateway"]), f"http://127.0.0.1:{ports['gateway']}/readyz"),
    }


def environment(ports: dict[str, int]) -> dict[str, str]:
    """The environment every child gets: project on PYTHONPATH, URLs of its peers."""
    env = dict(os.environ)
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}".rstrip(os.pathsep)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no usage data leaves the machine
    # one math thread per process: the processes already run in parallel, and torch's and faiss's
    # thread pools fighting over the cores cost the action server half its CPU per turn
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{ports['actions']}/webhook")
    env.setdefault("TRACKER_DB", str(TRACKER_DB))
    (ROOT / "var").mkdir(exist_ok=True)
    env.setdefault("POLICY_RASA_URL", f"http://127.0.0.1:{ports['rasa']}")
    env.setdefault("POLICY_ACTIONS_URL", f"http://127.0.0.1:{ports['actions']}")
    env.setdefault("POLICY_STAFF_TOKEN", secrets.token_urlsafe(12))  # a fresh one per run unless chosen
    return env


def wait_until_up(name: str, url: str, process: subprocess.Popen, timeout_s: float) -> None:
    """Poll url until it answers 200; raise if the process exits or the time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode} while starting (see its log above)")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{name} did not answer at {url} within {timeout_s:.0f} s")


def warm_rasa(base: str, timeout_s: float = 120) -> None:
    """A Rasa server's URL → one NLU parse and one next-action prediction on a tracker made of the
    request body (POST /model/predict stores nothing), so no warm-up conversation is ever kept."""
    from knowledge.retrieve import WARM_UP_QUERY

    try:
        parse = _post_json(f"{base}/model/parse", {"text": WARM_UP_QUERY}, timeout_s)
        events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": WARM_UP_QUERY, "parse_data": parse}]
        _post_json(f"{base}/model/predict", events, timeout_s)
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"rasa did not answer its warm-up at {base}/model/parse and /model/predict: {exc}") from exc


def _post_json(url: str, body, timeout_s: float):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return json.load(response)


def urls(base: str, staff_token: str = "") -> str:
    """Gateway base URL → the lines naming what it serves (pages only when they exist)."""
    static = ROOT / "server" / "static"
    pages = [("Chat demo", "/", "index.html"), ("Staff console", "/staff", "staff.html")]
    lines = [f"  {name + ':':<16}{base}{path}" for name, path, page in pages if (static / page).exists()]
    lines += [f"  {'Chat API:':<16}{base}/api/chat", f"  {'API docs:':<16}{base}/docs"]
    if staff_token and (static / "staff.html").exists():
        lines.append(f"  {'Staff token:':<16}{staff_token}   (POLICY_STAFF_TOKEN chooses your own)")
    return "\n" + "\n".join(lines)


def stop(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM every child, then SIGKILL the ones still alive after 15 s."""
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "policy.tar.gz")
    args = parser.parse_args()
    ports = {name: int(os.environ.get(f"POLICY_{name.upper()}_PORT", default))
             for name, default in (("gateway", 8000), ("rasa", 5005), ("actions", 5055))}
    env = environment(ports)
    processes: dict[str, subprocess.Popen] = {}
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        for name, (command, url) in commands(args.model, ports).items():
            print(f"starting {name}…", flush=True)
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env)
            wait_until_up(name, url, processes[name], timeout_s=300)
            if name == "rasa":
                warm_rasa(f"http://127.0.0.1:{ports['rasa']}")
        print(urls(f"http://127.0.0.1:{ports['gateway']}", env["POLICY_STAFF_TOKEN"]) + "\n  Press Ctrl-C to stop everything.\n", flush=True)
        while all(p.poll() is None for p in processes.values()):
            time.sleep(1)
        dead = [n for n, p in processes.items() if p.poll() is not None]
        print(f"{', '.join(dead)} stopped unexpectedly; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
