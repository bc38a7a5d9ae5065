"""Robustness on messy citizen messages, on demand: benchmarks/robustness.yaml → pass rate per class.

Usage: python benchmarks/bench_robustness.py [--out results/robustness.json] [--class numbers ...] [--port-base 8500]
Builds the index when stale, trains the model when stale, starts the stack (server.launcher) on
spare ports (gateway at --port-base, Rasa +5, actions +55: parallel runs need their own base), then
sends every case through the gateway's turn logic in this process (masking +
server.conversation.converse against that Rasa server), so the structured payload is judged.
Prints per-class pass rates, paraphrase consistency and every failure; writes them as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import bench_chat  # noqa: E402 — after the sys.path line, run as a script
from benchmarks.robustness import load_cases, run_case, small_talk_texts, summary  # noqa: E402

PORT_OFFSETS = {"gateway": 0, "rasa": 5, "actions": 55}
PORTS = {name: 8500 + offset for name, offset in PORT_OFFSETS.items()}


async def run_all(cases: list[dict], rasa_url: str) -> dict:
    """Every case as its own conversation, one after another → the summary."""
    from knowledge.service import open_retriever
    from server.dialogue import RasaDialogue

    retriever = open_retriever(rebuild=False)
    dialogue = RasaDialogue(rasa_url, timeout_s=120)
    small_talk = small_talk_texts()
    try:
        verdicts = [await run_case(dialogue, retriever, case, small_talk) for case in cases]
    finally:
        await dialogue.close()
    return summary(verdicts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "robustness.json")
    parser.add_argument("--class", dest="classes", nargs="*", help="only these classes")
    parser.add_argument("--port-base", type=int, default=8500, help="gateway port; Rasa +5, actions +55")
    args = parser.parse_args()
    PORTS.update({name: args.port_base + offset for name, offset in PORT_OFFSETS.items()})
    from knowledge.service import open_retriever
    from server import training

    open_retriever(rebuild=True)  # the launcher does not build the index
    if training.stale():
        training.train()
    cases = [c for c in load_cases() if not args.classes or c["class"] in args.classes]
    with tempfile.TemporaryDirectory() as work:
        os.environ["ACTIONS_DB_PATH"] = str(Path(work) / "records.db")  # the queue the action server writes
        bench_chat.PORTS.update(PORTS)
        stack = bench_chat.start_stack(Path(work))
        try:
            result = asyncio.run(run_all(cases, f"http://127.0.0.1:{PORTS['rasa']}"))
        finally:
            os.killpg(stack.pid, signal.SIGINT)
            stack.wait(60)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
