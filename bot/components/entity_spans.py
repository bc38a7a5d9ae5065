"""Entity spans checked against the NLU vocabulary (plain Python, no Rasa: the gate in entity_gate.py uses it).

DIET tags by token and sometimes splits one mention into fragments (「跑」+「外卖的」), stops one
character short of a known form (「退伍」 of 「退伍的」) or tags a function character alone (的, 在, 跑).
The vocabulary (the NLU's lookup tables, generated from knowledge/lexicon/vocabulary.yaml) decides:
fragments that touch are one mention, a mention inside a longer known form in the message becomes
that form, and a mention is kept only when it shares at least a two-character piece with a known
form of its type — a new wording such as 「外卖小哥」 stays, a lone 「的」 or 「身体」 does not. Known forms
of the completed types (groups) that DIET missed altogether are added, as actions/context.mentioned
would find them anyway; they keep DIET's extractor name and list the gate in `processors`, Rasa's
convention for an entity a later component changed (EntitySynonymMapper does the same).
"""

from __future__ import annotations

from typing import Iterable

Entity = dict  # Rasa's entity dict: entity, start, end, value, extractor, confidence_entity, …


class Vocabulary:
    """{entity type: known forms} → the checks one message's entities need."""

    def __init__(self, forms: dict[str, Iterable[str]], complete: Iterable[str] = (),
                 extractor: str = "DIETClassifier") -> None:
        self.extractor = extractor  # the extractor whose entities are checked; added ones carry its name
        self.complete = set(complete)  # types whose known forms are entities even where DIET missed them
        self.forms = {kind: {f for f in fs if f} for kind, fs in forms.items()}
        self.by_char: dict[str, dict[str, list[str]]] = {}  # type → character → the forms containing it, longest first
        for kind, fs in self.forms.items():
            for form in sorted(fs, key=len, reverse=True):
                for char in set(form):
                    self.by_char.setdefault(kind, {}).setdefault(char, []).append(form)
        self.longest_first = {kind: sorted(fs, key=len, reverse=True) for kind, fs in self.forms.items()}
        self.pieces = {kind: {f[i:i + 2] for f in fs for i in range(len(f) - 1)} for kind, fs in self.forms.items()}

    def vet(self, text: str, entities: list[Entity]) -> list[Entity]:
        """(message text, entities) → the entities with the checked types merged, widened or dropped."""
        checked = [e for e in entities if e.get("entity") in self.forms and e.get("extractor") == self.extractor]
        kept = [self._widen(text, e) for e in self._merge(text, checked)]
        kept = [e for e in kept if self._known(e)]
        others = [e for e in entities if not (e.get("entity") in self.forms and e.get("extractor") == self.extractor)]
        found = others + kept
        found += self._missed(text, found)
        return sorted(found, key=lambda e: (e.get("start", 0), e.get("end", 0)))

    def _missed(self, text: str, found: list[Entity]) -> list[Entity]:
        """Known forms of the completed types that no found entity overlaps (longest first, no overlaps) →
        entities marked as added by the gate (Rasa's `processors` convention)."""
        taken = [(e.get("start", 0), e.get("end", 0)) for e in found]
        added = []
        for kind in sorted(self.complete & set(self.forms)):
            for form in self.longest_first[kind]:
                at = text.find(form)
                while at != -1:
                    end = at + len(form)
                    if all(end <= s or at >= e for s, e in taken):
                        taken.append((at, end))
                        added.append({"entity": kind, "start": at, "end": end, "value": form,
                                      "extractor": self.extractor,
                                      "processors": ["LexiconEntityGate"]})
                    at = text.find(form, at + 1)
        return added

    def _merge(self, text: str, entities: list[Entity]) -> list[Entity]:
        """Touching entities of one type, neither a known form (「跑」「外卖的」) → one entity over both;
        two known forms side by side (「刚毕业的」「研究生」) stay two mentions."""
        merged: list[Entity] = []
        for entity in sorted(entities, key=lambda e: e["start"]):
            last = merged[-1] if merged else None
            if (last and last["entity"] == entity["entity"] and entity["start"] <= last["end"]
                    and not self._is_form(last) and not self._is_form(entity)):
                merged[-1] = _span(text, last, last["start"], max(last["end"], entity["end"]),
                                   entity.get("confidence_entity"))
            else:
                merged.append(dict(entity))
        return merged

    def _widen(self, text: str, entity: Entity) -> Entity:
        """An entity inside a longer known form present in the text → that form's span (longest first)."""
        start, end = entity["start"], entity["end"]
        for form in self.by_char.get(entity["entity"], {}).get(text[start:start + 1], []):
            if len(form) <= end - start:
                break
            at = text.find(form, max(0, end - len(form)))
            while at != -1 and at <= start:
                if at + len(form) >= end:
                    return _span(text, entity, at, at + len(form))
                at = text.find(form, at + 1)
        return entity

    def _is_form(self, entity: Entity) -> bool:
        return str(entity.get("value", "")) in self.forms[entity["entity"]]

    def _known(self, entity: Entity) -> bool:
        """A known form itself, or sharing a two-character piece with one of its type."""
        value = str(entity.get("value", ""))
        return self._is_form(entity) or any(value[i:i + 2] in self.pieces[entity["entity"]] for i in range(len(value) - 1))


def _span(text: str, entity: Entity, start: int, end: int, other_confidence: float | None = None) -> Entity:
    """The entity moved to text[start:end]; its value is that text (the synonym mapper runs after)."""
    moved = {**entity, "start": start, "end": end, "value": text[start:end]}
    if other_confidence is not None and "confidence_entity" in entity:
        moved["confidence_entity"] = min(entity["confidence_entity"], other_confidence)
    return moved
