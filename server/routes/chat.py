"""Chat: a citizen's message → the dialogue manager's cited answers (retrieval-only while it is down)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from actions.journal import outcome
from knowledge.contract import ChatResponse
from knowledge.texts import EMPTY_MESSAGE
from server.conversation import converse
from server.deps import DialogueDep, RetrieverDep
from server.privacy import mask

router = APIRouter(prefix="/api", tags=["chat"])


SENDER_ID = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@-]+$")]


class ChatMetadata(BaseModel):
    region: Annotated[str | None, Field(max_length=32)] = None  # the embedding page's data-region (广东省, 佛山市 …)


class ChatRequest(BaseModel):
    sender_id: SENDER_ID
    message: Annotated[str, Field(min_length=1, max_length=2000)]
    metadata: ChatMetadata | None = None


@router.post("/chat", response_model=ChatResponse, response_model_exclude_none=True)
async def chat(body: ChatRequest, dialogue: DialogueDep, retriever: RetrieverDep) -> dict:
    """{"sender_id", "message", "metadata"?: {"region"}} → {"messages": [Message], "staff", "live"}
    (knowledge/contract.py: text, citations, buttons, answerable, …)."""
    text = mask(body.message.strip())  # personal data never travels further than this line
    if not text:
        return {"messages": [{"text": EMPTY_MESSAGE}]}
    metadata = body.metadata.model_dump(exclude_none=True) if body.metadata else None
    messages = await converse(dialogue, retriever, "web", body.sender_id, text, metadata or None)
    live = not messages or any(outcome(m.extra) == "handoff" for m in messages)
    return {"messages": [m.to_dict() for m in messages], "staff": not messages, "live": live}
