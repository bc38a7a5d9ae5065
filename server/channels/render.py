"""Bot messages → plain-text WeChat replies: text, citation lines, a hint for the buttons, ≤ 2000-byte chunks."""

from __future__ import annotations

from knowledge.contract import Citation
from server.dialogue import BotMessage

MAX_BYTES = 2000  # WeChat's text limit is 2048 bytes (UTF-8); keep a margin


def render(messages: list[BotMessage], max_bytes: int = MAX_BYTES) -> list[str]:
    """Bot messages → reply chunks of at most max_bytes UTF-8 bytes (empty list when there is nothing to say)."""
    text = "\n\n".join(t for t in (message_text(m) for m in messages) if t)
    return split(text, max_bytes)


def message_text(message: BotMessage) -> str:
    """One message → its text (answer line, quotes, source line, as the widget shows it), then
    「依据：《title》（number）path」 with the clause for each citation the text does not quote
    (departments never: they are for staff), and the buttons hint."""
    lines = [message.text.strip()] if message.text.strip() else []
    for c in map(Citation.model_validate, message.citations):
        clause = c.text.strip()
        if clause and f"「{clause}」" in message.text:  # quoted, and its source line is in the text
            continue
        lines.append(f"依据：{c.source or _reference(c)}".rstrip())
        if clause:
            lines.append(f"「{clause}」")
    titles = [b["title"] for b in message.buttons if b.get("title")]
    if titles:
        lines.append("可回复：" + " / ".join(titles))
    return "\n".join(lines)


def _reference(c: Citation) -> str:
    """A citation without its ready-made source → 《title》（number）path."""
    number = f"（{c.doc_number}）" if c.doc_number else ""
    return f"《{c.doc_title}》{number}{' / '.join(c.path)}"


def split(text: str, max_bytes: int = MAX_BYTES) -> list[str]:
    """Text → chunks of at most max_bytes UTF-8 bytes, cut at line ends when possible."""
    chunks: list[str] = []
    current = ""
    for line in _pieces(text, max_bytes):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= max_bytes:
            current = candidate
        else:
            chunks.append(current)
            current = line
    if current.strip():
        chunks.append(current)
    return [c.strip("\n") for c in chunks if c.strip()]


def _pieces(text: str, max_bytes: int) -> list[str]:
    """Text → its lines, each line longer than max_bytes cut at character boundaries."""
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line.encode()) > max_bytes:
            cut = len(line.encode()[:max_bytes].decode(errors="ignore"))
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    return pieces
