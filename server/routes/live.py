"""The website widget's side of a live handoff: staff messages of its conversation after the last one it has."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from actions import store
from server import live
from server.routes.chat import SENDER_ID

router = APIRouter(prefix="/api/chat", tags=["chat"])


class StaffMessage(BaseModel):
    """A staff message as the citizen sees it (no account name): its journal id, text and Unix time."""

    id: int
    text: str
    at: float


class ChatUpdates(BaseModel):
    messages: list[StaffMessage]
    live: bool  # a request is still open (waiting or with staff): keep polling
    staff: bool  # a staff member holds the conversation


@router.get("/updates", response_model=ChatUpdates)
async def updates(sender_id: SENDER_ID, after: Annotated[int, Query(ge=0)] = 0) -> dict:
    """?sender_id&after=<last journal id seen> → {"messages": [{"id", "text", "at"}], "live": a request is still
    open (waiting or with staff: keep polling), "staff": a staff member holds the conversation}."""
    sender = f"web:{sender_id}"
    messages, state = await asyncio.gather(asyncio.to_thread(live.staff_messages, sender, after),
                                           asyncio.to_thread(store.handoff_state, sender))
    return {"messages": messages, "live": state is not None, "staff": bool(state and state[0] == "claimed")}
