"""Hotline staff API (token required): the queue of conversations waiting for a person."""

from __future__ import annotations

from fastapi import APIRouter

from actions import store
from server.deps import StaffOnly

router = APIRouter(prefix="/api/staff", tags=["staff"], dependencies=[StaffOnly])


@router.get("/handoffs")
def handoffs() -> list[dict]:
    """→ conversations waiting after 「转人工」, oldest first."""
    return store.waiting_handoffs()


@router.get("/whoami")
def whoami() -> dict:
    """A cheap authenticated call the console uses to check its token."""
    return {"role": "staff"}
