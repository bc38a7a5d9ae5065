"""Staff accounts and roles: who may open the console, and what each may change.

Accounts come from the environment only. ``POLICY_STAFF_ACCOUNTS`` is a comma-separated list of
``name:role:token`` (role ``staff`` — console, search, conversations, gap view; ``editor`` —
all of that plus library edits and question → clause links). The older single
``POLICY_STAFF_TOKEN`` is the account ``staff`` with role ``staff``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

Role = Literal["staff", "editor"]
ROLES: tuple[Role, ...] = ("staff", "editor")  # each role may do everything the roles before it may
SETTING = "POLICY_STAFF_ACCOUNTS"


@dataclass(frozen=True)
class Account:
    name: str
    role: Role

    def may(self, role: Role) -> bool:
        """A required role → whether this account holds it (editors may do what staff may)."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class Credential:
    account: Account
    token: str


def parse_accounts(spec: str) -> list[Credential]:
    """'name:role:token,…' → credentials; ValueError naming the setting and the bad entry."""
    credentials: list[Credential] = []
    for number, entry in enumerate(filter(None, (e.strip() for e in spec.split(","))), start=1):
        parts = entry.split(":", 2)
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"{SETTING}: entry {number} is not name:role:token")
        name, role, token = parts
        if role not in ROLES:
            raise ValueError(f"{SETTING}: entry {number} ({name}) has role {role!r}; use one of {', '.join(ROLES)}")
        if len(token) < 8:
            raise ValueError(f"{SETTING}: entry {number} ({name}) has a token shorter than 8 characters")
        if any(c.account.name == name for c in credentials):
            raise ValueError(f"{SETTING}: account {name!r} is listed twice")
        credentials.append(Credential(Account(name, role), token))  # type: ignore[arg-type]
    return credentials


def authenticate(credentials: list[Credential], authorization: str | None) -> Account | None:
    """An Authorization header → the account whose bearer token it carries, or None (constant time per token)."""
    given = (authorization or "").removeprefix("Bearer ").strip().encode()
    found = None
    for credential in credentials:
        if secrets.compare_digest(given, credential.token.encode()):
            found = credential.account
    return found
