"""Rasa NLU component: a message in 繁体, Cantonese or full width → Simplified Mandarin text, before tokenisation.

Shares knowledge.normalize with retrieval, so the bot and the search read a question alike.
Only inference messages are rewritten: training examples are already simplified, and rewriting
them would move their entity offsets.
"""

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.normalize import strip_control, to_simplified
from knowledge.understand import fold_width


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ChineseNormalizer(GraphComponent):
    """Rewrites TEXT of incoming messages to Simplified Mandarin."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Messages → the same messages with simplified, half-width text (commands such as /intent untouched)."""
        for message in messages:
            text = message.get(TEXT)
            if text and not text.startswith("/"):
                message.set(TEXT, to_simplified(fold_width(strip_control(text))).strip())
        return messages
