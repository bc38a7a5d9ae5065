"""Live handoff, the gateway's side: a staff member's message → the journal and the citizen's channel.

Every staff message is a journal row (role staff, with the account name) first; then it is delivered:
WeChat OA / WeCom through the channel's customer-service message API (the sender server/channels uses
for late answers, split under WeChat's size limit), the website widget by polling
`/api/chat/updates` for staff rows after the last journal id it has seen.
"""

from __future__ import annotations

import asyncio
import logging

from actions import journal
from server.channels.render import split

log = logging.getLogger(__name__)

CLAIMED = "人工客服已接入，请直接在这里描述您的问题，工作人员会逐条回复您。"
HANDED_BACK = "人工服务已结束，接下来由智能助手继续为您解答政策问题；如需人工，可再次点击「转人工」。"
CLOSED = "本次人工服务已结束，感谢您的耐心等待。如还有问题，可以继续向智能助手提问。"


async def send(senders: dict, sender_id: str, text: str, staff: str) -> dict:
    """A staff message to a conversation → {"id": its journal row, "delivered": True / False / None (web: polled),
    "error": why it did not reach a WeChat user}."""
    channel, _, user = sender_id.partition(":")
    row_id = await asyncio.to_thread(journal.record, sender_id, channel, "staff", text, staff=staff)
    if channel == "web":
        return {"id": row_id, "delivered": None}
    deliver = senders.get(channel)
    if deliver is None:
        return {"id": row_id, "delivered": False, "error": f"渠道 {channel} 未配置消息接口，消息已保存但未送达。"}
    try:
        for chunk in split(text):
            await deliver(user, chunk)
    except Exception as exc:  # WeChat said no (48-hour window, quota, network): staff must know, the row stays
        log.warning("staff message to %s not delivered: %s", sender_id, exc)
        return {"id": row_id, "delivered": False, "error": "消息已保存，但未能通过微信接口送达（用户超过 48 小时未互动或接口异常）。"}
    return {"id": row_id, "delivered": True}


def staff_messages(sender_id: str, after_id: int) -> list[dict]:
    """A conversation → its staff messages after journal id `after_id`, as the citizen sees them (no account name)."""
    return [{"id": r["id"], "text": r["text"], "at": r["at"]}
            for r in journal.transcript(sender_id, after_id, roles=("staff",))]
