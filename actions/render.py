"""Bot messages: text and buttons → utter_message arguments carrying the structured payload.

Every bot message carries `custom`: {"text", "citations": [...], "buttons": [...]} so each channel
(widget, WeChat, staff console) renders the same answer its own way.
"""

from __future__ import annotations


def message(text: str, citations: list[dict] | None = None, buttons: list[dict] | None = None, **extra) -> dict:
    """→ keyword arguments for dispatcher.utter_message: plain text plus the structured payload."""
    payload = {"text": text, "citations": citations or [], "buttons": buttons or [], **extra}
    return {"text": text, "buttons": buttons or [], "json_message": payload}
