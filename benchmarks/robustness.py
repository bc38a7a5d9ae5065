"""The robustness set (benchmarks/robustness.yaml): cases → conversations through the real turn logic → verdicts.

Shared by benchmarks/bench_robustness.py (the whole set, per class) and tests/e2e/test_robustness.py
(a sample). Each turn goes through what every channel does: `server.privacy.mask`, then
`server.conversation.converse` against a real Rasa server, so the bot's structured payload
(answerable, kind, handoff) is judged, not its wording.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from server.conversation import converse
from server.dialogue import BotMessage
from server.privacy import mask

SET = Path(__file__).resolve().parent / "robustness.yaml"
DOMAIN = Path(__file__).resolve().parent.parent / "bot" / "domain" / "core.yml"
SMALL_TALK_RESPONSES = ("utter_greet", "utter_goodbye", "utter_affirm", "utter_deny", "utter_thank")
KIND_ROUTES = {"complaint", "handoff", "handoff_cancelled", "waiting", "clarify", "benefits"}


@dataclass
class Verdict:
    case: dict
    ok: bool
    routes: set[str]
    reason: str
    leading_clause: str | None


def load_cases(path: Path = SET) -> list[dict]:
    """→ the cases, each with `turns` (a single `say` becomes one turn)."""
    cases = yaml.safe_load(path.read_text("utf-8"))["cases"]
    return [c | {"turns": [str(t) for t in c.get("turns") or [c["say"]]]} for c in cases]


def small_talk_texts() -> set[str]:
    """→ the texts of the greet/goodbye/affirm/deny/thanks responses (what small talk looks like)."""
    responses = yaml.safe_load(DOMAIN.read_text("utf-8"))["responses"]
    return {r["text"] for name in SMALL_TALK_RESPONSES for r in responses[name]}


def routes_of(messages: list[BotMessage], small_talk: set[str]) -> set[str]:
    """A reply → what it did: answer / refusal / small_talk / a `kind` such as clarify, complaint, handoff."""
    found = set()
    for m in messages:
        kind = m.extra.get("kind")
        if kind in KIND_ROUTES:
            found.add(kind)
        if m.extra.get("waiting"):
            found.add("waiting")
        if m.extra.get("answerable") is True and m.citations:
            found.add("answer")
        elif m.extra.get("answerable") is False and kind != "complaint":
            found.add("refusal")
        if m.text in small_talk:
            found.add("small_talk")
        if any(b.get("payload", "").startswith("/inform_group") for b in m.buttons):
            found.add("clarify")
    return found


def judge(case: dict, messages: list[BotMessage], small_talk: set[str]) -> Verdict:
    """The last turn's reply against the case's expectation → a Verdict."""
    expect = case["expect"]
    routes = routes_of(messages, small_talk)
    cited = " ".join(c.get("text", "") + " ".join(c.get("path", [])) for m in messages for c in m.citations)
    text = "\n".join(m.text for m in messages)
    leading = next((c.get("clause_id") for m in messages for c in m.citations), None)
    route = expect["route"]
    problems = []
    if route == "not_small_talk":
        if "small_talk" in routes or not messages:
            problems.append("answered with small talk")
    elif route not in routes:
        problems.append(f"route {sorted(routes) or ['none']} instead of {route}")
    if route == "refusal" and "answer" in routes:
        problems.append("answered with a citation")
    if route != "small_talk" and "small_talk" in routes:
        problems.append("small-talk reply to a question")
    if expect.get("cites") and not any(p in cited for p in expect["cites"]):
        problems.append(f"no cited clause with {expect['cites']}")
    if expect.get("says") and not any(p in text for p in expect["says"]):
        problems.append(f"reply does not say {expect['says']}")
    return Verdict(case, not problems, routes, "; ".join(problems), leading)


async def run_case(dialogue, retriever, case: dict, small_talk: set[str]) -> Verdict:
    """One case as a fresh conversation (masking first, as the gateway does) → its Verdict."""
    user = f"robust-{uuid.uuid4().hex[:10]}"
    messages: list[BotMessage] = []
    for text in case["turns"]:
        messages = await converse(dialogue, retriever, "web", user, mask(text))
    return judge(case, messages, small_talk)


def summary(verdicts: list[Verdict]) -> dict:
    """Verdicts → per-class pass rates, the overall rate, paraphrase consistency, small-talk misfires, failures."""
    by_class: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        by_class[v.case["class"]].append(v)
    groups: dict[str, list[str | None]] = defaultdict(list)
    for v in verdicts:
        if v.case.get("paraphrase"):
            groups[v.case["paraphrase"]].append(v.leading_clause)
    consistency = {g: Counter(ids).most_common(1)[0][1] for g, ids in groups.items()}
    return {
        "cases": len(verdicts),
        "passed": round(sum(v.ok for v in verdicts) / len(verdicts), 3),
        "per_class": {k: f"{sum(v.ok for v in vs)}/{len(vs)}" for k, vs in sorted(by_class.items())},
        "paraphrase_same_leading_clause_of_5": consistency,
        "paraphrase_leading_clauses": dict(groups),
        "questions_answered_with_small_talk": sum("small-talk reply" in v.reason or "answered with small talk" in v.reason
                                                  for v in verdicts),
        "failures": [(v.case["class"], v.case["turns"][-1], v.reason) for v in verdicts if not v.ok],
    }
