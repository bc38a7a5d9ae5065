"""A sample of the robustness set (benchmarks/robustness.yaml) end to end: masking, understanding, real Rasa,
real actions, real index. The whole set with per-class figures: benchmarks/bench_robustness.py."""

import asyncio

import pytest

from benchmarks.robustness import load_cases, run_case, small_talk_texts
from server.dialogue import RasaDialogue

pytestmark = pytest.mark.integration
# The cases marked `e2e: true`: two or three per class of message understanding and dialogue, as regression
# guards; near-miss refusals, specifics and paraphrase consistency are measured by the benchmark only.
SAMPLE = [c for c in load_cases() if c.get("e2e")]


@pytest.fixture
def converse_turns(rasa_stack, retriever, monkeypatch):
    """→ run(case) through masking + server.conversation against the stack (its handoff queue file)."""
    monkeypatch.setenv("ACTIONS_DB_PATH", str(rasa_stack["db"]))

    def run(case):
        async def once():
            dialogue = RasaDialogue(rasa_stack["rasa"], timeout_s=120)
            try:
                return await run_case(dialogue, retriever, case, small_talk_texts())
            finally:
                await dialogue.close()
        return asyncio.run(once())
    return run


@pytest.mark.parametrize("case", SAMPLE, ids=[f"{c['class']}:{c['turns'][-1][:16]}" for c in SAMPLE])
def test_messy_message_behaves_as_expected(converse_turns, case):
    verdict = converse_turns(case)
    assert verdict.ok, f"{case['turns']} → {sorted(verdict.routes)}: {verdict.reason}"
