"""Chat: a citizen's message → the dialogue manager's cited answers (retrieval-only while it is down)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from actions.journal import outcome
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


class Citation(BaseModel):
    doc_id: str = ""
    doc_number: str = ""  # 文号, "" for laws
    doc_title: str
    citation: str = ""  # the reference as read out, e.g. 《中华人民共和国就业促进法》第二十七条
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
    staff: bool = False  # a staff member holds the conversation: the message went to them, their reply comes later
    live: bool = False  # a handoff request is open or changed: poll /api/chat/updates for staff messages


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, dialogue: DialogueDep, retriever: RetrieverDep) -> dict:
    """{"sender_id", "message", "metadata"?: {"region"}} → {"messages": [{"text", "citations", "buttons"}]}."""
    text = mask(body.message.strip())  # personal data never travels further than this line
    if not text:
        return {"messages": [{"text": "请输入您要咨询的问题。"}]}
    metadata = body.metadata.model_dump(exclude_none=True) if body.metadata else None
    messages = await converse(dialogue, retriever, "web", body.sender_id, text, metadata or None)
    live = not messages or any(outcome(m.extra) == "handoff" for m in messages)
    return {"messages": [m.to_dict() for m in messages], "staff": not messages, "live": live}
