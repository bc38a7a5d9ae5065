"""The library entry is declared once (knowledge/library/store.py:Entry); the API's model is derived from it."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.library.store import Entry
from server.routes import library_models
from server.routes.library_models import Entry as EntryOut


def test_the_api_entry_carries_every_stored_field_but_the_bytes():
    entry = Entry(7, "通知.docx", "ab" * 32, 1024, "li", "2026-01-01T00:00:00+00:00", "draft", {"region": "广东省"},
                  data=b"PK\x03\x04")
    assert EntryOut.model_validate(entry.to_dict()).model_dump() == entry.to_dict()
    assert "data" not in EntryOut.model_fields and "data" not in entry.to_dict()


def test_a_field_added_to_the_dataclass_reaches_the_api_model_with_its_type_and_default():
    @dataclass
    class Grown:
        id: int
        reviewed_by: str = ""
        tags: list[str] = field(default_factory=list)
        data: bytes = b""

    model = library_models._model_of(Grown, "A grown entry.", exclude=frozenset({"data"}))
    schema = model.model_json_schema()
    assert list(schema["properties"]) == ["id", "reviewed_by", "tags"] and schema["required"] == ["id"]
    assert schema["properties"]["tags"] == {"default": [], "items": {"type": "string"}, "title": "Tags", "type": "array"}
    assert model(id=1).tags == [] and model(id=1).tags is not model(id=2).tags  # a fresh default per instance
