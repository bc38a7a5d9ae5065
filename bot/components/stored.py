"""A trainable Rasa component whose learnt state is one JSON file stored with the model."""

from __future__ import annotations

import json
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class StoredStateComponent(GraphComponent):
    """Subclasses name STATE_FILE, set their state in `restore` and call `store` at the end of training."""

    STATE_FILE = "state.json"

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 state: Any = None) -> None:
        self.config, self._storage, self._resource = config, model_storage, resource
        self.restore(state)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> StoredStateComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> StoredStateComponent:
        with model_storage.read_from(resource) as folder:
            state = json.loads((folder / cls.STATE_FILE).read_text("utf-8"))
        return cls(config, model_storage, resource, state)

    def restore(self, state: Any) -> None:
        """The JSON state (None before training) → the component's attributes."""
        raise NotImplementedError

    def store(self, state: Any) -> Resource:
        """JSON-serialisable state → written with the model and restored; → the resource (what train returns)."""
        with self._storage.write_to(self._resource) as folder:
            (folder / self.STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), "utf-8")
        self.restore(state)
        return self._resource
