"""Hotline staff API (token required): the queue of conversations waiting for a person."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException

from actions import store
from knowledge.contract import HandoffResolved, HandoffRow, Whoami
from server.deps import DialogueDep, StaffDep, StaffOnly
from server.dialogue import DialogueUnavailable

router = APIRouter(prefix="/api/staff", tags=["staff"], dependencies=[StaffOnly])


@router.get("/handoffs", response_model=list[HandoffRow])
def handoffs() -> list[dict]:
    """→ conversations waiting after 「转人工」, oldest first."""
    return store.waiting_handoffs()


@router.post("/handoffs/{handoff_id}/resolve", response_model=HandoffResolved)
async def resolve(handoff_id: int, dialogue: DialogueDep) -> dict:
    """A waiting request → marked done and its conversation un-paused (the bot answers again); 404 if none."""
    sender_id = await asyncio.to_thread(store.resolve_handoff, handoff_id)
    if sender_id is None:
        raise HTTPException(404, f"没有编号为 {handoff_id} 的待处理请求。")
    try:
        await dialogue.resume(sender_id)
    except DialogueUnavailable as exc:
        raise HTTPException(503, "已标记处理完毕，但对话服务暂时不可用，会话尚未恢复，请稍后重试。") from exc
    return {"id": handoff_id, "sender_id": sender_id, "status": "done"}


@router.get("/whoami", response_model=Whoami)
def whoami(account: StaffDep) -> dict:
    """A cheap authenticated call the console uses to check its token → the account's name and role."""
    return {"name": account.name, "role": account.role}
