"""Talking to the dialogue manager: (sender, text) → bot messages {"text", "citations", "buttons"}.

Rasa's REST channel returns text and `custom` payloads as separate items; they are merged
back into one message per bot utterance here, so every channel renders the same structure.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import httpx


@dataclass
class BotMessage:
    text: str
    citations: list[dict] = field(default_factory=list)
    buttons: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # answerable, handoff, …

    def to_dict(self) -> dict:
        return {"text": self.text, "citations": self.citations, "buttons": self.buttons, **self.extra}


class DialogueUnavailable(Exception):
    """The dialogue manager could not be reached or answered with an error."""


class RasaDialogue:
    """Rasa REST channel client over one or more replicas (comma-separated URLs).

    A conversation goes to the replica its sender id hashes to, so its turns stay together; when
    that replica cannot be reached it goes to the next one. Replicas share the tracker store and a
    lock store (bot/endpoints.postgres.yml), so any of them can continue any conversation.
    """

    def __init__(self, base_urls: str, timeout_s: float, client: httpx.AsyncClient | None = None):
        self.base_urls = replica_urls(base_urls)
        self.client = client or httpx.AsyncClient(timeout=timeout_s)

    def replicas_for(self, sender_id: str) -> list[str]:
        """→ the replica URLs in the order this conversation tries them."""
        start = zlib.crc32(sender_id.encode()) % len(self.base_urls)
        return self.base_urls[start:] + self.base_urls[:start]

    async def reply(self, sender_id: str, text: str) -> list[BotMessage]:
        """One user message → the bot's messages (empty when the conversation is paused)."""
        return merge(await self._post(sender_id, "/webhooks/rest/webhook", {"sender": sender_id, "message": text}))

    async def _post(self, sender_id: str, path: str, body: dict):
        """POST to the conversation's replica, the next one only when it could not be connected to."""
        error: Exception | None = None
        for base in self.replicas_for(sender_id):
            try:
                response = await self.client.post(f"{base}{path}", json=body)
                response.raise_for_status()
                return response.json()
            except httpx.ConnectError as exc:  # never delivered: safe to try another replica
                error = exc
            except (httpx.HTTPError, ValueError) as exc:
                raise DialogueUnavailable(f"{base}: {exc}") from exc
        raise DialogueUnavailable(f"no replica reachable: {error}")

    async def resume(self, sender_id: str) -> None:
        """Un-pause a conversation after staff have handled it (Rasa's `resume` event)."""
        await self._post(sender_id, f"/conversations/{sender_id}/tracker/events", {"event": "resume"})

    async def close(self) -> None:
        await self.client.aclose()


def replica_urls(setting: str) -> list[str]:
    """POLICY_RASA_URL ("http://a:5005,http://b:5005") → the replica base URLs."""
    return [u.strip().rstrip("/") for u in setting.split(",") if u.strip()]


def merge(items: list[dict]) -> list[BotMessage]:
    """Rasa REST items ({text}|{custom}|{buttons}) → one BotMessage per utterance."""
    messages: list[BotMessage] = []
    for item in items:
        custom = item.get("custom")
        if isinstance(custom, dict) and "text" in custom:
            if messages and messages[-1].text == custom["text"] and not messages[-1].citations:
                messages.pop()  # the plain-text twin of this payload
            extra = {k: v for k, v in custom.items() if k not in ("text", "citations", "buttons")}
            messages.append(BotMessage(custom["text"], custom.get("citations") or [], custom.get("buttons") or [], extra))
        elif item.get("text"):
            messages.append(BotMessage(item["text"], [], item.get("buttons") or []))
    return messages
