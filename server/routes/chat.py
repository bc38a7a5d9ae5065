"""Chat: a citizen's message → the dialogue manager's cited answers (retrieval-only while it is down)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from server.deps import DialogueDep, RetrieverDep
from server.dialogue import DialogueUnavailable
from server.fallback import answer_from_retrieval
from server.metrics import ANSWERS, FALLBACKS, HANDOFFS
from server.privacy import mask

router = APIRouter(prefix="/api", tags=["chat"])
log = logging.getLogger(__name__)


class ChatRequest(BaseModel):
    sender_id: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@-]+$")]
    message: Annotated[str, Field(min_length=1, max_length=2000)]


class Citation(BaseModel):
    doc_number: str
    doc_title: str
    path: list[str]
    clause_id: str
    text: str
    departments: list[str] = []


class Button(BaseModel):
    title: str
    payload: str


class Message(BaseModel):
    text: str
    citations: list[Citation] = []
    buttons: list[Button] = []


class ChatResponse(BaseModel):
    messages: list[Message]


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, dialogue: DialogueDep, retriever: RetrieverDep) -> dict:
    """{"sender_id", "message"} → {"messages": [{"text", "citations", "buttons"}]}."""
    text = mask(body.message.strip())  # personal data never travels further than this line
    if not text:
        return {"messages": [{"text": "请输入您要咨询的问题。"}]}
    try:
        messages = await dialogue.reply(f"web:{body.sender_id}", text)
    except DialogueUnavailable as exc:
        log.warning("dialogue unavailable, answering from retrieval: %s", exc)
        FALLBACKS.inc()
        messages = [answer_from_retrieval(retriever, text)]
    for m in messages:
        if "answerable" in m.extra:
            ANSWERS.labels("web", str(m.extra["answerable"]).lower()).inc()
        if m.extra.get("handoff"):
            HANDOFFS.labels("web").inc()
    return {"messages": [m.to_dict() for m in messages]}
