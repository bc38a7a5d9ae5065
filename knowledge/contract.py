"""The message contract: what a bot message, a citation and a search result look like on the wire.

One home for these shapes (pydantic v2 models): the actions build their payload with them, the
gateway's routes declare them as response models, the WeChat renderer and the retrieval fallback
read and write them, and `contract.schema.json` (generated from here, served under /static) gives
the front ends the same shape. No FastAPI or Rasa import, so every process can use it.

A field added to `Citation` is filled from the clause attribute of the same name (`Citation.of`),
reaches every channel's JSON, and the schema file (regenerate: `python -m knowledge.contract`).

Usage: python -m knowledge.contract [--check]   (writes, or checks, server/static/contract.schema.json)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from knowledge.cite import citation, source
from knowledge.types import Clause, VersionNote

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "server" / "static" / "contract.schema.json"


class Citation(BaseModel):
    """One quoted clause as every channel receives it."""

    clause_id: str
    doc_id: str = ""
    doc_number: str = ""  # 文号, "" for laws
    doc_title: str
    citation: str = ""  # the reference as read out, e.g. 《中华人民共和国就业促进法》第二十七条
    source: str = ""  # the source line: 《标题》（文号）四、… / （十一）…
    paragraph: int = 0  # laws: the 款 when a long article is cited paragraph by paragraph
    path: list[str]
    text: str  # the verbatim clause
    departments: list[str] = []  # for staff; never shown to citizens in the answer text
    official: bool = True  # False: text found only in an unofficial copy
    benefit: str | None = None  # benefit lists: the benefit this clause grants

    @classmethod
    def of(cls, clause: Clause, doc_title: str, **more: Any) -> "Citation":
        """A clause, its document's title and any further fields → the citation; every declared field
        the clause has an attribute for is taken from it (so a new field needs no other change)."""
        taken = {name: getattr(clause, name) for name in cls.model_fields if hasattr(clause, name)}
        taken |= {"doc_title": doc_title, "citation": citation(clause, doc_title), "source": source(clause, doc_title)}
        return cls.model_validate(taken | more)

    def payload(self) -> dict:
        """→ the JSON object (fields left unset by None are omitted)."""
        return self.model_dump(mode="json", exclude_none=True)


class Button(BaseModel):
    title: str
    payload: str


class Message(BaseModel):
    """One bot message: text, citations and quick replies, plus what the channels act on."""

    text: str
    citations: list[Citation] = []
    buttons: list[Button] = []
    answerable: bool | None = None  # a policy answer: True cited, False an honest no (widget offers 转人工)
    specific: bool | None = None  # False: the quotes do not state what was asked (「政策文件没有规定…」)
    handoff: bool | None = None  # this message queued the conversation for staff
    waiting: bool | None = None  # the conversation waits for staff (the waiting notice)
    degraded: bool | None = None  # answered from retrieval while the dialogue is down
    kind: str | None = None  # clarify, benefits, handoff, complaint, waiting, … (what the message is)
    clarify: str | None = None  # a clarify question: what it asks for (region, …)

    @classmethod
    def build(cls, text: str, citations: list | None = None, buttons: list | None = None, **flags: Any) -> "Message":
        """Text, citations, buttons and flags → the message; a flag the contract does not declare is a
        TypeError here, where the message is written (the gateway would otherwise drop it silently)."""
        unknown = sorted(set(flags) - set(cls.model_fields))
        if unknown:
            raise TypeError(f"{', '.join(unknown)}: not a field of knowledge/contract.py:Message; declare it there first")
        return cls(text=text, citations=citations or [], buttons=buttons or [], **flags)

    def payload(self) -> dict:
        """→ the JSON object, unset flags omitted (as the actions send it and the gateway returns it)."""
        return self.model_dump(mode="json", exclude_none=True)


class ChatResponse(BaseModel):
    messages: list[Message]
    staff: bool = False  # a staff member holds the conversation: the message went to them, their reply comes later
    live: bool = False  # a handoff request is open or changed: poll /api/chat/updates for staff messages


class SearchHit(Citation):
    """A ranked clause in a search result: a citation plus its score, document status and version notes."""

    doc_status: str = "现行有效"
    score: float = 0.0
    notes: list[VersionNote] = []
    replaced_by: str | None = None  # on the replaced hit only: doc_id of the version in force


class SearchResponse(BaseModel):
    query: str
    answerable: bool
    confidence: float = 0.0
    results: list[SearchHit]
    replaced: SearchHit | None = None  # the best clause came from a version no longer in force
    pointer: str = ""  # refused, and answered elsewhere: where to turn (a staff mark, or knowledge/elsewhere.py)


class ClauseDetail(BaseModel):
    """A clause with its document's title, dates and status, and its whole item as context."""

    model_config = ConfigDict(extra="allow")  # the stored clause's own fields (Clause.to_dict) ride along

    clause_id: str
    doc_id: str
    text: str
    path: list[str]
    doc_title: str
    doc_dates: dict[str, str]
    doc_status: str
    superseded_by: str
    context: list[dict]
    asked: list[str] = []  # questions citizens ask that this clause answers (knowledge/asked.py)


class HandoffRow(BaseModel):
    """A conversation waiting for staff or held by one (the console's queue)."""

    id: int
    sender_id: str
    created: float  # Unix time (seconds) the request was queued
    last_message: str | None = None
    status: str = "waiting"  # waiting, claimed, returned (handed back), done, cancelled
    claimed_by: str | None = None  # the staff account holding it
    claimed: float | None = None  # when that account last acted (claim or reply)
    resolved: float | None = None


class JournalRow(BaseModel):
    """One message of a conversation (actions/journal.py): the citizen's, the assistant's or staff's."""

    id: int
    sender_id: str
    channel: str
    at: float
    role: str  # citizen, bot, staff
    text: str
    citations: list = []  # clause ids (or citation strings) the message cited
    outcome: str | None = None
    latency_ms: float | None = None
    staff: str | None = None


class HandoffConversation(BaseModel):
    handoff: HandoffRow
    messages: list[JournalRow]


class Delivery(BaseModel):
    """A staff message stored in the journal (id) and whether the citizen's channel accepted it."""

    id: int
    delivered: bool | None = None  # None: the widget fetches it itself
    error: str | None = None


class HandoffResolved(BaseModel):
    id: int
    sender_id: str
    status: str


class Whoami(BaseModel):
    name: str
    role: str


class VocabularyResponse(BaseModel):
    """The console's group filter: the groups' names (knowledge/lexicon/vocabulary.yaml)."""

    groups: list[str]


FRONT_END_MODELS: tuple[type[BaseModel], ...] = (ChatResponse, SearchResponse, HandoffRow, VocabularyResponse)


def schema(models: tuple[type[BaseModel], ...] = FRONT_END_MODELS) -> dict:
    """Models → one JSON Schema document ({"$defs": …}) the front ends read their shapes from."""
    from pydantic.json_schema import models_json_schema

    _, defs = models_json_schema([(m, "serialization") for m in models], title="政策助手消息契约")
    return defs


def schema_text(models: tuple[type[BaseModel], ...] = FRONT_END_MODELS) -> str:
    """→ the schema file's exact text (stable key order, trailing newline)."""
    return json.dumps(schema(models), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write (or --check) the front ends' contract schema file.")
    parser.add_argument("--check", action="store_true", help="exit 1 when the file differs from the models")
    args = parser.parse_args(argv)
    text = schema_text()
    if args.check:
        if not SCHEMA_FILE.is_file() or SCHEMA_FILE.read_text("utf-8") != text:
            print(f"{SCHEMA_FILE} is out of date: run python -m knowledge.contract", file=sys.stderr)
            return 1
        return 0
    SCHEMA_FILE.write_text(text, "utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
