"""Talking to the dialogue manager: (sender, text) → bot messages {"text", "citations", "buttons"}.

Rasa's REST channel returns text and `custom` payloads as separate items; they are merged
back into one message per bot utterance here, so every channel renders the same structure.
"""

from __future__ import annotations

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
    """Rasa REST channel client."""

    def __init__(self, base_url: str, timeout_s: float, client: httpx.AsyncClient | None = None):
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.AsyncClient(timeout=timeout_s)

    async def reply(self, sender_id: str, text: str) -> list[BotMessage]:
        """One user message → the bot's messages (empty when the conversation is paused)."""
        try:
            response = await self.client.post(f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender_id, "message": text})
            response.raise_for_status()
            return merge(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            raise DialogueUnavailable(str(exc)) from exc

    async def resume(self, sender_id: str) -> None:
        """Un-pause a conversation after staff have handled it (Rasa's `resume` event)."""
        try:
            response = await self.client.post(f"{self.base_url}/conversations/{sender_id}/tracker/events",
                                              json={"event": "resume"})
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise DialogueUnavailable(str(exc)) from exc

    async def close(self) -> None:
        await self.client.aclose()


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
