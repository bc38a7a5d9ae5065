"""The vocabulary of citizen groups and benefit categories (lexicon/vocabulary.yaml) → what each user reads.

Defined once; read by the benefit lists and the search filter (the documents' words), written out as
the NLU's lookup tables and synonyms (`data/nlu/vocabulary.yml`, generated: never edit it), and served
to the staff console (GET /api/vocabulary).

Usage: python -m knowledge.vocabulary [--check]   (writes, or checks, data/nlu/vocabulary.yml)
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.config import LEXICON
from knowledge.errors import SourceError

VOCABULARY = LEXICON / "vocabulary.yaml"
NLU_FILE = Path(__file__).resolve().parent.parent / "data" / "nlu" / "vocabulary.yml"


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[str]  # the documents' words for the group
    citizens: list[str]  # how citizens name it (NLU synonyms of the group's name)


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    groups: dict[str, Group]
    benefits: dict[str, list[str]]  # NLU benefit category → how citizens name it


def load(path: Path = VOCABULARY) -> Vocabulary:
    """vocabulary.yaml → Vocabulary; a malformed file is a SourceError naming it and the key."""
    try:
        return Vocabulary.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise SourceError(str(path), None, f"cannot read the vocabulary: {exc}") from exc
    except ValidationError as exc:
        where = ".".join(map(str, exc.errors()[0]["loc"]))
        raise SourceError(str(path), None, f"key {where}: {exc.errors()[0]['msg']}") from exc


@functools.lru_cache(maxsize=1)
def default() -> Vocabulary:
    return load()


def nlu_text(vocabulary: Vocabulary) -> str:
    """The vocabulary → the text of data/nlu/vocabulary.yml: a lookup table and the synonyms per entity."""
    entities = {"group": {name: g.citizens for name, g in vocabulary.groups.items()}, "benefit": vocabulary.benefits}
    lines = ['version: "3.1"', f"# GENERATED from knowledge/lexicon/{VOCABULARY.name} by `python -m knowledge.vocabulary`: edit that file.",
             "# Lookup tables give DIET a 'matches the vocabulary' feature; synonyms map to the value actions use.", "nlu:"]
    for entity, words in entities.items():
        lines += [f"  - lookup: {entity}", "    examples: |", *(f"      - {w}" for name, forms in words.items() for w in [name, *forms])]
    for words in entities.values():
        for name, forms in words.items():
            lines += [f"  - synonym: {name}", "    examples: |", *(f"      - {w}" for w in forms)]
    return "\n".join(lines) + "\n"


def write_nlu(vocabulary: Vocabulary | None = None, path: Path | None = None) -> bool:
    """Write the NLU file (default NLU_FILE) when its text changed (an unchanged file keeps its time: no
    retraining) → whether it changed."""
    text, path = nlu_text(vocabulary or load()), path or NLU_FILE
    if path.is_file() and path.read_text("utf-8") == text:
        return False
    path.write_text(text, "utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate (or --check) the NLU vocabulary file.")
    parser.add_argument("--check", action="store_true", help="exit 1 when the file differs from the vocabulary")
    args = parser.parse_args(argv)
    if args.check:
        if not NLU_FILE.is_file() or NLU_FILE.read_text("utf-8") != nlu_text(load()):
            print(f"{NLU_FILE} is out of date: run python -m knowledge.vocabulary", file=sys.stderr)
            return 1
        return 0
    print(f"{'wrote' if write_nlu() else 'unchanged:'} {NLU_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
