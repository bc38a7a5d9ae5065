"""Rasa model as a build artifact: dialogue sources → models/policy.tar.gz, retrained only when stale.

Usage: python -m server.training [--force]   (what `make model` runs)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from knowledge import vocabulary

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "policy.tar.gz"
SOURCES = [ROOT / "config.yml", ROOT / "bot", ROOT / "data" / "nlu", ROOT / "knowledge" / "lexicon" / "jieba", vocabulary.VOCABULARY]


def source_files() -> list[Path]:
    """→ every file whose change makes the trained model stale."""
    files = []
    for s in SOURCES:
        files.extend([s] if s.is_file() else sorted(p for p in s.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
    return files


def stale(model: Path = MODEL) -> bool:
    """True when the model is missing or older than any dialogue source."""
    return not model.exists() or any(f.stat().st_mtime > model.stat().st_mtime for f in source_files())


def start(model: Path = MODEL, log=None) -> subprocess.Popen:
    """Regenerate the NLU vocabulary file and start `rasa train` into `model` in the background → the
    process (output to `log`, a file object, when given). The test session starts it early, so the
    training overlaps the tests that do not need the model."""
    vocabulary.write_nlu()
    command = [str(RASA), "train", "--config", "config.yml", "--domain", "bot/domain", "--data", "data/nlu", "bot/data",
               "--out", str(model.parent), "--fixed-model-name", model.name.removesuffix(".tar.gz")]
    return subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=log, stderr=subprocess.STDOUT if log else None)


def train(model: Path = MODEL) -> float:
    """Regenerate the NLU vocabulary file, train the Rasa model into `model` → seconds taken; a failed
    training raises CalledProcessError."""
    started = time.perf_counter()
    finish(start(model))
    return time.perf_counter() - started


def finish(process: subprocess.Popen) -> None:
    """Wait for a training started with start(); a failed one raises CalledProcessError."""
    if process.wait() != 0:
        raise subprocess.CalledProcessError(process.returncode, process.args)


def _env() -> dict[str, str]:
    import os

    return {"RASA_TELEMETRY_ENABLED": "false", **os.environ, "PYTHONPATH": str(ROOT)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    if not args.force and not stale():
        print(f"model {MODEL.relative_to(ROOT)} is up to date")
        return 0
    print(f"training the dialogue model ({MODEL.relative_to(ROOT)})…", flush=True)
    try:
        seconds = train()
    except subprocess.CalledProcessError as exc:
        print(f"error: rasa train failed with code {exc.returncode}", file=sys.stderr)
        return 1
    print(f"trained in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
