"""Benefits by group: a loaded index and a group → every distinct benefit the documents give it, cited once.

Driven by lexicon/benefits.yaml and the groups of lexicon/vocabulary.yaml: a clause whose beneficiary
is the group (named in its text, or in its item heading when the text names no other group) and that
names a benefit cites that benefit.
A group named only as the family a beneficiary comes from (「贫困残疾人家庭…高校毕业生」) is not the
beneficiary. Each benefit gets one citation (official text first); benefits that one clause grants
together (「学费补偿、助学贷款代偿、资金补贴」) are one entry, so no clause is cited twice.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.config import LEXICON
from knowledge.types import Clause
from knowledge.vocabulary import VOCABULARY
from knowledge.vocabulary import load as load_vocabulary


_FAMILY = re.compile(r"[\u4e00-\u9fff]{0,2}家庭")  # 「残疾」人家庭, 「建档立卡」贫困家庭 (matched right after the term)
_WORKPLACE = (re.compile(r"到[^，。；]*$"), re.compile(r"[^，。；]{0,3}就业"))  # 到城乡基层、中「小微企业」就业


@dataclass
class Benefit:
    """One list entry for a group: the benefit(s) one clause grants it, and that clause."""

    name: str
    clauses: list[Clause] = field(default_factory=list)  # exactly one: the citation
    general: bool = False  # open to anyone who qualifies, not only this group


@dataclass
class BenefitLexicon:
    benefits: dict[str, list[str]]
    groups: dict[str, list[str]]
    general: list[str]

    @classmethod
    def load(cls, path: Path = LEXICON / "benefits.yaml", vocabulary: Path = VOCABULARY) -> "BenefitLexicon":
        """benefits.yaml and the groups' document words of vocabulary.yaml → BenefitLexicon."""
        data = yaml.safe_load(path.read_text("utf-8"))
        groups = {name: g.documents for name, g in load_vocabulary(vocabulary).groups.items()}
        return cls(data["benefits"], groups, data.get("general", []))


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
    found: dict[str, list[Clause]] = {}
    for clause in clauses:
        named = names_beneficiary(clause.text, terms, others)
        by_heading = any(t in "".join(clause.path[1:]) for t in terms) and not any(t in clause.text for t in others)
        if named or by_heading:
            for name in _benefits_in(clause.text, lexicon):
                found.setdefault(name, []).append(clause)
    specific = _one_entry_per_clause(found, general=False)
    granted = {n for b in specific for n in b.name.split("、")}
    general = {n: [c for c in clauses if n in _benefits_in(c.text, lexicon)] for n in lexicon.general if n not in granted}
    return specific + _one_entry_per_clause({n: cs for n, cs in general.items() if cs}, general=True)


def names_beneficiary(text: str, terms: list[str], others: list[str]) -> bool:
    """Clause text, the group's terms and other groups' terms → whether the group is a beneficiary there,
    not only the family another group's member comes from (「贫困残疾人家庭…高校毕业生」) or the place
    where others are sent to work (「引导高校毕业生到…中小微企业就业」)."""
    for term in terms:
        for m in re.finditer(re.escape(term), text):
            family = term.endswith("家庭") or _FAMILY.match(text, m.end())
            workplace = _WORKPLACE[0].search(text[: m.start()]) and _WORKPLACE[1].match(text, m.end())
            if not ((family or workplace) and any(o in text for o in others)):
                return True
    return False


def _benefits_in(text: str, lexicon: BenefitLexicon) -> list[str]:
    """Clause text → the benefits it names."""
    return [name for name, words in lexicon.benefits.items() if any(w in text for w in words)]


def _one_entry_per_clause(found: dict[str, list[Clause]], general: bool) -> list[Benefit]:
    """Benefit → citing clauses → one entry per citing clause (official first), in first-seen order."""
    entries: dict[str, Benefit] = {}
    for name, cited in found.items():
        best = sorted(cited, key=lambda c: not c.official)[0]
        entry = entries.setdefault(best.clause_id, Benefit("", [best], general))
        entry.name = f"{entry.name}、{name}" if entry.name else name
    return list(entries.values())
