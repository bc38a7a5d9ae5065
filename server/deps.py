"""Route dependencies as Annotated aliases: the retriever, the dialogue client, staff authentication."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from knowledge.retrieve import Retriever
from server.accounts import Account, authenticate
from server.config import Settings
from server.dialogue import RasaDialogue


def _retriever(request: Request) -> Retriever:
    return request.app.state.retriever


def _dialogue(request: Request) -> RasaDialogue:
    return request.app.state.dialogue


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _staff(request: Request, authorization: Annotated[str | None, Header()] = None) -> Account:
    """A bearer token → the staff account it belongs to; 401 when none (503 when no account is configured)."""
    credentials = request.app.state.settings.credentials
    if not credentials:
        raise HTTPException(503, "坐席功能未启用：请设置 POLICY_STAFF_ACCOUNTS 或 POLICY_STAFF_TOKEN。")
    account = authenticate(credentials, authorization)
    if account is None:
        raise HTTPException(401, "需要有效的坐席令牌。", headers={"WWW-Authenticate": "Bearer"})
    request.state.account = account  # the rate limiter counts staff per account, not per address
    return account


def _editor(account: Annotated[Account, Depends(_staff)]) -> Account:
    """A signed-in account → itself when it holds the editor role; otherwise 403."""
    if not account.may("editor"):
        raise HTTPException(403, "此操作需要文件库编辑权限（editor 角色）。")
    return account


RetrieverDep = Annotated[Retriever, Depends(_retriever)]
DialogueDep = Annotated[RasaDialogue, Depends(_dialogue)]
SettingsDep = Annotated[Settings, Depends(_settings)]
StaffOnly = Depends(_staff)
EditorOnly = Depends(_editor)
StaffDep = Annotated[Account, Depends(_staff)]  # the signed-in account (name, role)
EditorDep = Annotated[Account, Depends(_editor)]
