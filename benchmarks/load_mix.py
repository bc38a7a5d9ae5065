"""A mixed load on a running gateway: chat, search and WeChat users at once → per-endpoint figures.

Used by benchmarks/bench_load.py (10 minutes, on demand) and by the short smoke test in make test.
Each chat user runs conversations of 8 turns; each WeChat user sends signed plaintext XML exactly as
WeChat does (token POLICY_WECHAT_TOKEN on the gateway side); search users type staff queries.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import statistics
import time
import uuid

import httpx

QUESTIONS = ["我是应届毕业生能领什么补贴", "那需要什么条件", "创业担保贷款怎么申请", "这个还有效吗", "送外卖的能自己交养老保险吗",
             "农民工返乡创业有什么扶持", "失业了怎么做失业登记", "谢谢"]
SEARCHES = ["创业担保贷款", "高校毕业生 求职创业补贴", "就业见习", "灵活就业 社保补贴", "去产能 分流职工", "稳岗补贴"]
TURNS_PER_CONVERSATION = 8


def wechat_request(token: str, openid: str, text: str) -> tuple[dict, bytes]:
    """→ (query params, body) of a plaintext text message signed as WeChat signs it."""
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    xml = (f"<xml><ToUserName><![CDATA[gh_policy]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
           f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
           f"<MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>")
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}, xml.encode()


def request_for(kind: str, base: str, user: str, n: int, wechat_token: str) -> dict:
    """The n-th request of one simulated user → httpx.request keyword arguments."""
    if kind == "chat":
        conversation = f"{user}-{n // TURNS_PER_CONVERSATION}"
        return {"method": "POST", "url": f"{base}/api/chat", "json": {"sender_id": conversation, "message": QUESTIONS[n % len(QUESTIONS)]}}
    if kind == "search":
        return {"method": "POST", "url": f"{base}/api/search", "json": {"query": SEARCHES[n % len(SEARCHES)], "top_k": 10}}
    params, body = wechat_request(wechat_token, f"o{user}-{n // TURNS_PER_CONVERSATION}", QUESTIONS[n % len(QUESTIONS)])
    return {"method": "POST", "url": f"{base}/wechat/official", "params": params, "content": body}


def ok(kind: str, response: httpx.Response) -> bool:
    """A 200 that carries an answer (WeChat: a passive reply or "success" when it goes by API)."""
    if response.status_code != 200:
        return False
    return "<xml>" in response.text or response.text == "success" if kind == "wechat" else bool(response.json())


async def user(client: httpx.AsyncClient, kind: str, base: str, until: float, record, wechat_token: str,
               think_s: float = 0.0) -> None:
    """One simulated user: requests one after another until the deadline, `think_s` (±50 %) apart."""
    name, n = uuid.uuid4().hex[:8], 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            good = ok(kind, await client.request(**request_for(kind, base, name, n, wechat_token)))
        except httpx.HTTPError:
            good = False
        record(kind, (time.perf_counter() - started) * 1000, good)
        n += 1
        if think_s:
            await asyncio.sleep(min(think_s * random.uniform(0.5, 1.5), max(until - time.monotonic(), 0)))


async def run_mix(base: str, mix: dict[str, int], seconds: float, wechat_token: str = "",
                  think_s: dict[str, float] | None = None) -> dict[str, dict]:
    """{"chat": users, "search": users, "wechat": users} for `seconds` → per-kind figures; `think_s`
    per kind paces a user like a person reading the answer (none: back-to-back, saturation)."""
    latencies: dict[str, list[float]] = {k: [] for k in mix}
    errors: dict[str, int] = {k: 0 for k in mix}

    def record(kind: str, ms: float, good: bool) -> None:
        latencies[kind].append(ms)
        errors[kind] += not good

    until = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=sum(mix.values()) * 2)) as client:
        await asyncio.gather(*(user(client, kind, base, until, record, wechat_token, (think_s or {}).get(kind, 0.0))
                               for kind, users in mix.items() for _ in range(users)))
    return {kind: figures(latencies[kind], errors[kind], seconds) | {"users": mix[kind]} for kind in mix}


def figures(latencies: list[float], errors: int, seconds: float) -> dict:
    """Latencies (ms) → requests, errors, per second, p50/p95/p99."""
    lat = sorted(latencies) or [float("nan")]
    pick = lambda p: round(lat[min(len(lat) - 1, int(p * (len(lat) - 1)))], 1)  # noqa: E731
    return {"requests": len(latencies), "errors": errors, "per_s": round(len(latencies) / seconds, 1),
            "p50": round(statistics.median(lat), 1), "p95": pick(0.95), "p99": pick(0.99)}
