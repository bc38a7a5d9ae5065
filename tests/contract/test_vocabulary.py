"""One vocabulary of groups and benefit categories (knowledge/lexicon/vocabulary.yaml): the NLU file is
generated from it, the console's group filter is served from it, and nothing else defines them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from knowledge import vocabulary
from knowledge.benefits import BenefitLexicon
from knowledge.errors import SourceError
from server.config import Settings
from server.main import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_nlu_vocabulary_file_is_generated_from_the_vocabulary():
    assert vocabulary.NLU_FILE.read_text("utf-8") == vocabulary.nlu_text(vocabulary.load()), "run: python -m knowledge.vocabulary"


def test_check_command_fails_when_the_nlu_file_disagrees(tmp_path, monkeypatch):
    nlu = tmp_path / "vocabulary.yml"
    nlu.write_text(vocabulary.NLU_FILE.read_text("utf-8").replace("      - 海归\n", ""), "utf-8")  # a hand edit
    monkeypatch.setattr(vocabulary, "NLU_FILE", nlu)
    assert vocabulary.main(["--check"]) == 1
    assert vocabulary.main([]) == 0 and vocabulary.main(["--check"]) == 0 and "海归" in nlu.read_text("utf-8")


def test_generated_nlu_maps_every_citizen_word_to_its_group():
    nlu = yaml.safe_load(vocabulary.NLU_FILE.read_text("utf-8"))["nlu"]
    synonyms = {e["synonym"]: e["examples"].split("\n- ")[0] for e in nlu if "synonym" in e}
    groups = vocabulary.load().groups
    assert set(groups) <= set(synonyms)
    lookup = next(e["examples"] for e in nlu if e.get("lookup") == "group")
    assert all(f"- {w}\n" in lookup for name, g in groups.items() for w in [name, *g.citizens])


def test_no_other_nlu_file_defines_a_group_or_benefit_entity_vocabulary():
    names = set(vocabulary.load().groups) | set(vocabulary.load().benefits)
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        if path == vocabulary.NLU_FILE:
            continue
        for entry in yaml.safe_load(path.read_text("utf-8")).get("nlu", []):
            assert entry.get("lookup") not in ("group", "benefit"), path
            assert entry.get("synonym") not in names, (path, entry.get("synonym"))


def test_console_group_filter_is_served_from_the_vocabulary(fake_retriever):
    with TestClient(create_app(Settings(), retriever=fake_retriever, dialogue=object())) as client:
        served = client.get("/api/vocabulary").json()
    assert served == {"groups": list(vocabulary.load().groups)}
    console = (ROOT / "server" / "static" / "staff.js").read_text("utf-8")
    assert "/api/vocabulary" in console
    assert not [g for g in served["groups"] if f'"{g}"' in console], "staff.js lists groups itself"


def test_benefit_lists_and_search_filter_read_the_documents_words(tmp_path):
    extra = tmp_path / "vocabulary.yaml"
    data = yaml.safe_load(vocabulary.VOCABULARY.read_text("utf-8"))
    data["groups"]["农民工"]["documents"].append("务工人员")
    extra.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    lexicon = BenefitLexicon.load(vocabulary=extra)
    assert "务工人员" in lexicon.groups["农民工"] and list(lexicon.groups) == list(data["groups"])


def test_a_malformed_vocabulary_names_the_file_and_the_key(tmp_path):
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("groups:\n  农民工:\n    documents: [农民工]\nbenefits: {}\n", "utf-8")
    with pytest.raises(SourceError, match=r"vocabulary.yaml: key groups\.农民工\.citizens"):
        vocabulary.load(bad)


def test_the_rasa_components_imports_need_nothing_the_rasa_environment_lacks():
    """bot/components/normalize.py imports knowledge.normalize and knowledge.understand inside Rasa's
    environment (pydantic 1, no pydantic-settings): they must not pull the settings or the contract in."""
    import subprocess
    import sys

    check = ("import sys, knowledge.normalize, knowledge.understand; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_settings')))")
    out = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
