"""Rasa NLU component: DIET's group/benefit/region entities checked against the NLU vocabulary.

Runs after DIET and before EntitySynonymMapper. The vocabulary is the training data's lookup tables
(data/nlu/vocabulary.yml and regions.yml, generated from the one vocabulary), stored with the model,
so there is no second word list; the rules are in bot/components/entity_spans.py.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.entity_spans import Vocabulary
from bot.components.stored import StoredStateComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class LexiconEntityGate(StoredStateComponent):
    """Merges, widens or drops DIET's entities of the vocabulary's types (see entity_spans)."""

    STATE_FILE = "entity_forms.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # complete: types whose known forms DIET missed are added — groups name people; benefit words such as
        # 社保/失业保险 also sit inside other terms (社保卡, 失业保险金), regions inside place-like words
        return {"entities": ["group", "benefit", "region"], "complete": ["group"],
                "extractor": "DIETClassifier"}

    def restore(self, state: dict[str, list[str]] | None) -> None:
        self.vocabulary = Vocabulary(state or {}, self.config["complete"], self.config["extractor"])

    def train(self, training_data: TrainingData) -> Resource:
        """Training data → its lookup tables of the configured entity types, stored with the model.
        A configured type without a lookup table is a configuration error (nothing could be checked)."""
        forms = {t["name"]: sorted(t["elements"]) for t in training_data.lookup_tables
                 if t["name"] in self.config["entities"] and isinstance(t["elements"], list)}
        missing = sorted(set(self.config["entities"]) - set(forms))
        if missing:
            raise ValueError(f"config.yml LexiconEntityGate: no lookup table in data/nlu for entities {missing}")
        return self.store(forms)

    def process(self, messages: List[Message]) -> List[Message]:
        """Messages → the same, their entities checked against the vocabulary."""
        for message in messages:
            text = message.get(TEXT) or ""
            if text and not text.startswith("/"):  # a button payload carries its own entities
                message.set(ENTITIES, self.vocabulary.vet(text, message.get(ENTITIES) or []), add_to_output=True)
        return messages
