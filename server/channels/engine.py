"""What both WeChat channels share: a message → a passive reply in time or a later API push, once per MsgId.

WeChat waits about 5 s for a passive reply and retries the same MsgId up to three times. The engine
answers each MsgId once: ready within the deadline → the first chunk is the passive reply (retries get
it again) and the rest go through the messaging API; not ready → "success" now, every chunk by API later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Awaitable, Callable

import httpx
from fastapi import HTTPException
from wechatpy.exceptions import WeChatException

from knowledge.texts import BUSY, EMPTY_MESSAGE
from server.channels.render import render
from server.conversation import converse
from server.privacy import mask

log = logging.getLogger(__name__)

Answer = Callable[[str, str], Awaitable[list[str]]]  # (user, masked text) → reply chunks
Send = Callable[[str, str], Awaitable[None]]  # (user, chunk) → delivered through the API

WELCOME = "您好！我是就业创业政策助手，可以解答补贴、创业担保贷款、就业服务等政策问题。请直接用文字描述您的情况。"
TEXT_ONLY = "目前只能回答文字问题，请用文字描述您的情况。"
MAX_SKEW_S = 300


@dataclass
class _Job:
    task: asyncio.Task
    started: float
    passive: str | None = None  # the passive reply once decided
    pushed: bool = False  # the answer goes (or went) out through the API


class Engine:
    """Deadline, retry de-duplication and chunked delivery over an `answer` and a `send` coroutine."""

    def __init__(self, answer: Answer, send: Send, deadline_s: float, ttl_s: float = 300, max_jobs: int = 10_000):
        self.answer, self.send, self.deadline_s = answer, send, deadline_s
        self.ttl_s, self.max_jobs = ttl_s, max_jobs
        self.jobs: OrderedDict[str, _Job] = OrderedDict()
        self.background: set[asyncio.Task] = set()

    async def handle(self, msg_id: str, user: str, text: str) -> str | None:
        """A text message → the passive reply, or None (reply "success"; the answer goes by API)."""
        job = self._job(msg_id, user, text)
        if job.passive is None and not job.pushed:
            remaining = self.deadline_s - (time.monotonic() - job.started)
            await asyncio.wait({job.task}, timeout=max(remaining, 0))
            if job.passive is None and not job.pushed:  # no await since: exactly one waiter decides
                if job.task.done() and job.task.result():
                    chunks = job.task.result()
                    job.passive = chunks[0]
                    self._spawn(self._deliver(user, chunks[1:]))
                else:
                    job.pushed = True
                    self._spawn(self._push(user, job.task))
        return job.passive

    def _job(self, msg_id: str, user: str, text: str) -> _Job:
        """MsgId → its job, started now for a first delivery; expired and surplus jobs are dropped."""
        now = time.monotonic()
        while self.jobs and (len(self.jobs) >= self.max_jobs or now - self._oldest() > self.ttl_s):
            self.jobs.popitem(last=False)  # oldest first: insertion order is start order
        key = f"{user}:{msg_id}"
        if key not in self.jobs:
            self.jobs[key] = _Job(asyncio.create_task(self._safe_answer(user, text)), now)
        return self.jobs[key]

    def _oldest(self) -> float:
        return next(iter(self.jobs.values())).started

    async def _safe_answer(self, user: str, text: str) -> list[str]:
        try:
            return await self.answer(user, text)
        except Exception:
            log.exception("answering a WeChat message failed")
            return [BUSY]

    async def _push(self, user: str, task: asyncio.Task) -> None:
        await self._deliver(user, await task)

    async def _deliver(self, user: str, chunks: list[str]) -> None:
        """Chunks → sent in order through the API; a failure is logged and stops the rest."""
        try:
            for chunk in chunks:
                await self.send(user, chunk)
        except Exception as exc:
            log.warning("proactive WeChat message failed: %s", exc)

    def _spawn(self, coro: Awaitable) -> None:
        task = asyncio.ensure_future(coro)
        self.background.add(task)
        task.add_done_callback(self.background.discard)


async def respond(engine: Engine, msg) -> str | None:
    """A parsed wechatpy message → the passive reply text, or None for "success" (nothing to say now)."""
    if msg.type == "event" or msg._data.get("MsgType") == "event":  # events wechatpy does not know are "unknown"
        return WELCOME if getattr(msg, "event", "") in ("subscribe", "subscribe_scan", "enter_agent") else None
    if msg.type not in ("text", "voice") or (msg.type == "voice" and not msg.recognition):
        return TEXT_ONLY  # a voice message counts as text when WeChat's speech recognition is on
    text = mask((msg.content if msg.type == "text" else msg.recognition) or "").strip()  # personal data stops here
    if not text:
        return EMPTY_MESSAGE
    return await engine.handle(str(msg.id), msg.source, text)


def answerer(channel: str, dialogue, retriever, region: str | None = None) -> Answer:
    """→ answer(user, text): the dialogue's reply (retrieval while it is down) rendered into chunks; `region`
    is the account's configured region (POLICY_WECHAT_REGION / POLICY_WECOM_REGION), sent with every message."""
    metadata = {"region": region} if region else None

    async def answer(user: str, text: str) -> list[str]:
        return render(await converse(dialogue, retriever, channel, user, text, metadata))

    return answer


class ApiSender:
    """Proactive text through a WeChat HTTP API: (user, chunk) → POSTed with a cached access token."""

    def __init__(self, base: str, token_path: str, token_params: dict, send_path: str, extra: dict | None = None):
        self.base, self.token_path, self.token_params = base.rstrip("/"), token_path, token_params
        self.send_path, self.extra = send_path, extra or {}
        self.access_token, self.expires_at = "", 0.0

    async def send(self, user: str, chunk: str) -> None:
        """One chunk to one user; an expired token is refreshed once."""
        body = {"touser": user, "msgtype": "text", **self.extra, "text": {"content": chunk}}
        async with httpx.AsyncClient(timeout=10) as client:
            for attempt in range(2):
                token = await self._token(client)
                r = await client.post(f"{self.base}{self.send_path}", params={"access_token": token}, json=body)
                r.raise_for_status()
                errcode = r.json().get("errcode", 0)
                if errcode in (40001, 40014, 42001) and attempt == 0:
                    self.expires_at = 0.0
                    continue
                if errcode:
                    raise RuntimeError(f"{self.send_path} errcode {errcode}: {r.json().get('errmsg')}")
                return

    async def _token(self, client: httpx.AsyncClient) -> str:
        """→ the access token, fetched again 60 s before it expires."""
        if time.monotonic() < self.expires_at:
            return self.access_token
        r = await client.get(f"{self.base}{self.token_path}", params=self.token_params)
        r.raise_for_status()
        data = r.json()
        if "access_token" not in data:
            raise RuntimeError(f"{self.token_path} errcode {data.get('errcode')}: {data.get('errmsg')}")
        self.access_token = data["access_token"]
        self.expires_at = time.monotonic() + int(data.get("expires_in", 7200)) - 60
        return self.access_token


def check_fresh(timestamp: str) -> None:
    """A request timestamp more than 5 minutes from now (or not a number) → 403."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_S:
        raise HTTPException(403, "stale or missing timestamp")


def guarded(call, *args):
    """A wechatpy crypto call → its result; a bad signature or app/corp id → 403, garbage → 400."""
    try:
        return call(*args)
    except WeChatException as exc:
        raise HTTPException(403, "invalid signature") from exc
    except Exception as exc:
        raise HTTPException(400, "malformed encrypted message") from exc


def decrypt(crypto, body: bytes, msg_signature: str, timestamp: str, nonce: str) -> str:
    """Encrypted envelope → the inner XML (403 / 400 as `guarded`)."""
    return guarded(crypto.decrypt_message, body, msg_signature, timestamp, nonce)


async def reply_xml(engine: Engine, parse, reply_class, xml: str | bytes) -> str | None:
    """Callback XML → the TextReply XML to send back, or None for "success"; unparsable → 400."""
    try:
        msg = parse(xml)
    except Exception as exc:
        raise HTTPException(400, "malformed message") from exc
    text = await respond(engine, msg)
    return None if text is None else reply_class(message=msg, content=text).render()
