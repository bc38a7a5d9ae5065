"""Rasa NLU component: a small-talk intent stands only when the message really is small talk.

DIET learns greet/goodbye/affirm/deny/thank from a few dozen short examples and then claims
any message that shares a character or a digit with them (「我毕业2年了…」 → goodbye, as 「88」
is goodbye). After DIET this gate keeps a small-talk intent only for a short message without
entities whose characters are mostly ones the small-talk examples use, and a question about the bot
only without entities (「见习补贴是啥子东西」 names a policy); otherwise the best other
intent takes over (ranking renormalised without small talk), and FallbackClassifier, running
next, sends it to retrieval when that intent is unsure. The vocabulary is learnt from the
training data, so the gate needs no word list of its own.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.stored import StoredStateComponent

_CONTENT = re.compile(r"[\w]")  # letters, digits and CJK; punctuation and emoji do not count


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SmallTalkGate(StoredStateComponent):
    """Turns a small-talk prediction for a message that is not small talk into its best other intent."""

    STATE_FILE = "small_talk_vocabulary.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intents": ["greet", "goodbye", "thank", "affirm", "deny"], "max_chars": 12, "min_share": 0.6,
                "topic_free": ["bot_challenge"]}

    def restore(self, state: list[str] | None) -> None:
        self.vocabulary = set(state or ())

    def train(self, training_data: TrainingData) -> Resource:
        """Small-talk training examples → the set of characters they use, stored with the model."""
        small_talk = set(self.config["intents"])
        return self.store(sorted({c.lower() for ex in training_data.intent_examples if ex.get(INTENT) in small_talk
                                  for c in _CONTENT.findall(ex.get(TEXT) or "")}))

    def process(self, messages: List[Message]) -> List[Message]:
        """Messages → the same, small-talk intents replaced where the message is not small talk."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent in self.config["intents"] and not self.is_small_talk(message):
                self._demote(message)
            elif intent in self.config["topic_free"] and message.get(ENTITIES):  # 「见习补贴是啥」 is no question about the bot
                self._demote(message)
        return messages

    def is_small_talk(self, message: Message) -> bool:
        """Short, no entity, and mostly made of characters the small-talk examples use."""
        text = message.get(TEXT) or ""
        if text.startswith("/"):  # a button payload names its intent itself
            return True
        chars = [c.lower() for c in _CONTENT.findall(text)]
        if not chars or len(chars) > self.config["max_chars"] or message.get(ENTITIES):
            return not chars
        return sum(c in self.vocabulary for c in chars) / len(chars) >= self.config["min_share"]

    def _demote(self, message: Message) -> None:
        gated = set(self.config["intents"]) | set(self.config["topic_free"])
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) not in gated]
        total = sum(r.get(PREDICTED_CONFIDENCE_KEY, 0.0) for r in ranking) or 1.0
        ranking = [{**r, PREDICTED_CONFIDENCE_KEY: r.get(PREDICTED_CONFIDENCE_KEY, 0.0) / total} for r in ranking]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        message.set(INTENT, dict(ranking[0]) if ranking else {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
                    add_to_output=True)
