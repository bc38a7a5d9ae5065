"""NLU quality on the held-out set, on demand: trained model + tests/nlu/heldout.yml → intent and entity F1.

Usage: python benchmarks/bench_nlu.py [--out results/nlu]
Trains the model first when it is stale (server.training), then runs `rasa test nlu` and prints
intent macro-F1 and the entity micro-F1 per entity type, with every misclassified example. Rasa reports
the entities under DIETClassifier as they leave the pipeline, i.e. after LexiconEntityGate
(bot/components/entity_gate.py) merged, widened, dropped or added some (those list it in `processors`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from server import training  # noqa: E402

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"


def evaluate(out: Path) -> None:
    """Run Rasa's NLU evaluation of the current model on the held-out set into `out`."""
    if training.stale():
        training.train()
    subprocess.run([str(training.RASA), "test", "nlu", "--nlu", str(HELDOUT), "--model", str(training.MODEL),
                    "--out", str(out)], cwd=ROOT, env=training._env(), check=True, capture_output=True)


def report(out: Path) -> dict:
    """Rasa's report files → {"intent_macro_f1", "entity_micro_f1", per-type F1, errors}."""
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads((out / "DIETClassifier_report.json").read_text())
    return {
        "examples": intents["macro avg"]["support"],
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 3),
        "entity_micro_f1": round(entities["micro avg"]["f1-score"], 3),
        "entity_support": entities["micro avg"]["support"],
        "entity_f1": {k: round(v["f1-score"], 3) for k, v in entities.items() if "avg" not in k and isinstance(v, dict)},
        "intent_errors": [(e["text"], e["intent"], e["intent_prediction"]["name"])
                          for e in json.loads((out / "intent_errors.json").read_text())],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "nlu")
    args = parser.parse_args()
    evaluate(args.out)
    print(json.dumps(report(args.out), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
