"""Hotline staff API (token required): the queue of conversations waiting for a person, and the live handoff —
read a conversation's transcript, claim it (one claim wins), reply into the citizen's channel, hand it back to
the assistant, close it."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, StringConstraints

from actions import journal, store
from knowledge.contract import Delivery, HandoffConversation, HandoffRow, Whoami
from server import live
from server.accounts import Account
from server.deps import DialogueDep, StaffDep, StaffOnly
from server.dialogue import DialogueUnavailable

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/staff", tags=["staff"], dependencies=[StaffOnly])


class Reply(BaseModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


@router.get("/handoffs", response_model=list[HandoffRow])
def handoffs() -> list[dict]:
    """→ conversations waiting after 「转人工」 or held by a staff member, oldest first."""
    return store.open_handoffs()


@router.get("/handoffs/{handoff_id}", response_model=HandoffConversation)
def conversation(handoff_id: int, after: Annotated[int, Query(ge=0)] = 0) -> dict:
    """→ {"handoff": the request, "messages": its conversation's journal rows after id `after`} (the console polls)."""
    request = _request(handoff_id)
    return {"handoff": request, "messages": journal.transcript(request["sender_id"], after)}


@router.post("/handoffs/{handoff_id}/claim", response_model=HandoffRow)
async def claim(handoff_id: int, account: StaffDep, request: Request) -> dict:
    """A waiting request → held by this account; 409 when another staff member was first (or it is no longer open)."""
    if not await asyncio.to_thread(store.claim, handoff_id, account.name):
        taken = _request(handoff_id)
        if taken["status"] == "claimed":
            raise HTTPException(409, f"该会话已由 {taken['claimed_by']} 接手。")
        raise HTTPException(409, "该会话已不在等待队列中（已取消或已处理）。")
    held = _request(handoff_id)
    await live.send(_senders(request), held["sender_id"], live.CLAIMED, account.name)
    return held


@router.post("/handoffs/{handoff_id}/reply", response_model=Delivery)
async def reply(handoff_id: int, body: Reply, account: StaffDep, request: Request) -> dict:
    """A staff message → stored in the journal and sent to the citizen's channel; only the account holding it may."""
    held = _held_by(handoff_id, account)
    await asyncio.to_thread(store.touch, handoff_id)
    return await live.send(_senders(request), held["sender_id"], body.text, account.name)


@router.post("/handoffs/{handoff_id}/handback", response_model=HandoffRow)
async def hand_back(handoff_id: int, account: StaffDep, request: Request, dialogue: DialogueDep) -> dict:
    """The assistant answers the citizen again (status 'returned'); the citizen is told."""
    return await _finish(handoff_id, "returned", live.HANDED_BACK, account, request, dialogue)


@router.post("/handoffs/{handoff_id}/close", response_model=HandoffRow)
async def close(handoff_id: int, account: StaffDep, request: Request, dialogue: DialogueDep) -> dict:
    """The request is handled (status 'done'); the citizen is told and the assistant answers again."""
    return await _finish(handoff_id, "done", live.CLOSED, account, request, dialogue)


@router.post("/handoffs/{handoff_id}/resolve", response_model=HandoffRow)
async def resolve(handoff_id: int, account: StaffDep, request: Request, dialogue: DialogueDep) -> dict:
    """The earlier name of close (「处理完毕」), kept for existing clients."""
    return await _finish(handoff_id, "done", live.CLOSED, account, request, dialogue)


@router.get("/whoami", response_model=Whoami)
def whoami(account: StaffDep) -> dict:
    """A cheap authenticated call the console uses to check its token → the account's name and role."""
    return {"name": account.name, "role": account.role}


async def _finish(handoff_id: int, status: str, notice: str, account: Account, request: Request, dialogue) -> dict:
    """Hand back or close a request this account holds (or one still waiting) → the request now."""
    sender_id = await asyncio.to_thread(store.finish, handoff_id, status, account.name)
    if sender_id is None:
        taken = _request(handoff_id)
        holder = f"该会话由 {taken['claimed_by']} 接手，只有接手人可以结束。" if taken["status"] == "claimed" else "该会话已结束或已取消。"
        raise HTTPException(409, holder)
    await live.send(_senders(request), sender_id, notice, account.name)
    try:
        await dialogue.resume(sender_id)  # a conversation Rasa paused answers again (a no-op when it was not)
    except DialogueUnavailable as exc:
        log.warning("could not resume %s in the dialogue (it resumes with the next turn's events): %s", sender_id, exc)
    return _request(handoff_id)


def _request(handoff_id: int) -> dict:
    """→ the handoff request; 404 with a message when there is none."""
    found = store.handoff(handoff_id)
    if found is None:
        raise HTTPException(404, f"没有编号为 {handoff_id} 的人工服务请求。")
    return found


def _held_by(handoff_id: int, account: Account) -> dict:
    """→ the request when `account` holds it; 409 naming the situation otherwise."""
    found = _request(handoff_id)
    if found["status"] != "claimed":
        raise HTTPException(409, "请先接手该会话再回复。" if found["status"] == "waiting" else "该会话已结束，无法继续回复。")
    if found["claimed_by"] != account.name:
        raise HTTPException(409, f"该会话已由 {found['claimed_by']} 接手。")
    return found


def _senders(request: Request) -> dict:
    """→ channel → send(user, chunk) of the configured WeChat channels (none when no channel is mounted)."""
    return getattr(request.app.state, "channel_senders", {})
