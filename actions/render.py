"""Bot messages: text and buttons → utter_message arguments carrying the structured payload.

Every bot message carries `custom`: the contract's Message (knowledge/contract.py: text, citations,
buttons, answerable, kind, …) so each channel (widget, WeChat, staff console) renders the same answer
its own way. A field the contract does not declare is an error here, not a silent loss in the gateway.
"""

from __future__ import annotations

from knowledge.contract import Message


def message(text: str, citations: list[dict] | None = None, buttons: list[dict] | None = None, **extra) -> dict:
    """→ keyword arguments for dispatcher.utter_message: plain text plus the structured payload."""
    payload = Message.build(text, citations, buttons, **extra).payload()
    return {"text": text, "buttons": buttons or [], "json_message": payload}
