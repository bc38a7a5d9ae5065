"""Chat: a citizen's message → the dialogue manager's cited answers (retrieval-only while it is down)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from knowledge.contract import ChatResponse
from knowledge.texts import EMPTY_MESSAGE
from server.conversation import converse
from server.deps import DialogueDep, RetrieverDep
from server.privacy import mask

router = APIRouter(prefix="/api", tags=["chat"])


class ChatRequest(BaseModel):
    sender_id: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@-]+$")]
    message: Annotated[str, Field(min_length=1, max_length=2000)]


@router.post("/chat", response_model=ChatResponse, response_model_exclude_none=True)
async def chat(body: ChatRequest, dialogue: DialogueDep, retriever: RetrieverDep) -> dict:
    """{"sender_id", "message"} → {"messages": [Message]} (knowledge/contract.py: text, citations, buttons, answerable, …)."""
    text = mask(body.message.strip())  # personal data never travels further than this line
    if not text:
        return {"messages": [{"text": EMPTY_MESSAGE}]}
    messages = await converse(dialogue, retriever, "web", body.sender_id, text)
    return {"messages": [m.to_dict() for m in messages]}
