"""Benefits by group: a loaded index and a group → every distinct benefit the documents give it, cited.

Driven by lexicon/benefits.yaml: a clause mentioning the group (in its text or item heading)
that names a benefit is a citation for that benefit; the same benefit found in both documents
is listed once with all its citations.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.config import LEXICON
from knowledge.types import Clause


@dataclass
class Benefit:
    """One benefit for a group, with the clauses that grant it (official first, by document order)."""

    name: str
    clauses: list[Clause] = field(default_factory=list)
    general: bool = False  # open to anyone who qualifies, not only this group


@dataclass
class BenefitLexicon:
    benefits: dict[str, list[str]]
    groups: dict[str, list[str]]
    general: list[str]

    @classmethod
    def load(cls, path: Path = LEXICON / "benefits.yaml") -> "BenefitLexicon":
        """benefits.yaml → BenefitLexicon."""
        data = yaml.safe_load(path.read_text("utf-8"))
        return cls(data["benefits"], data["groups"], data.get("general", []))


@functools.lru_cache(maxsize=1)
def default_lexicon() -> BenefitLexicon:
    return BenefitLexicon.load()


def canonical_group(name: str, lexicon: BenefitLexicon | None = None) -> str | None:
    """A group name or one of its terms ('大学生') → the canonical group ('高校毕业生'), or None."""
    lexicon = lexicon or default_lexicon()
    for group, terms in lexicon.groups.items():
        if name == group or name in terms:
            return group
    return None


def benefits_for(group: str, clauses: list[Clause], lexicon: BenefitLexicon | None = None) -> list[Benefit]:
    """A canonical group and the clause list → its benefits, group-specific first, then general ones."""
    lexicon = lexicon or default_lexicon()
    terms = lexicon.groups.get(group, [group])
    others = [t for g, ts in lexicon.groups.items() if g != group for t in ts if not any(t in own for own in terms)]
    found: dict[str, Benefit] = {}
    for clause in clauses:
        named = any(t in clause.text for t in terms)
        by_heading = any(t in "".join(clause.path[1:]) for t in terms) and not any(t in clause.text for t in others)
        if not (named or by_heading):
            continue
        for name, words in lexicon.benefits.items():
            if any(w in clause.text for w in words):
                found.setdefault(name, Benefit(name)).clauses.append(clause)
    for name in lexicon.general:
        if name not in found:
            words = lexicon.benefits[name]
            cited = [c for c in clauses if any(w in c.text for w in words)]
            if cited:
                found[name] = Benefit(name, cited, general=True)
    for benefit in found.values():
        benefit.clauses.sort(key=lambda c: not c.official)
    return sorted(found.values(), key=lambda b: b.general)
