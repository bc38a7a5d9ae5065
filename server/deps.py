"""Route dependencies as Annotated aliases: the retriever, the dialogue client, staff authentication."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from knowledge.retrieve import Retriever
from server.config import Settings
from server.dialogue import RasaDialogue
from server.middleware import bearer_matches


def _retriever(request: Request) -> Retriever:
    return request.app.state.retriever


def _dialogue(request: Request) -> RasaDialogue:
    return request.app.state.dialogue


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _staff(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Bearer token == POLICY_STAFF_TOKEN, compared in constant time; otherwise 401 (or 503 when unset)."""
    expected = request.app.state.settings.staff_token
    if expected is None:
        raise HTTPException(503, "坐席功能未启用：请设置 POLICY_STAFF_TOKEN。")
    if not bearer_matches(authorization, expected):
        raise HTTPException(401, "需要有效的坐席令牌。", headers={"WWW-Authenticate": "Bearer"})


RetrieverDep = Annotated[Retriever, Depends(_retriever)]
DialogueDep = Annotated[RasaDialogue, Depends(_dialogue)]
SettingsDep = Annotated[Settings, Depends(_settings)]
StaffOnly = Depends(_staff)
