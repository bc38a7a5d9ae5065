"""Request guards and measurement: body size limit (413), per-client rate limit (429), metrics."""

from __future__ import annotations

import time
from collections import OrderedDict

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.metrics import LATENCY, REQUESTS


class BodyLimit(BaseHTTPMiddleware):
    """Refuse request bodies over max_bytes with 413 before any handler reads them."""

    def __init__(self, app, max_bytes: int):
        super().__init__(app)
        self.max_bytes = max_bytes

    async def dispatch(self, request: Request, call_next):
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            return _too_large(self.max_bytes)
        if request.method in ("POST", "PUT", "PATCH") and not declared:
            body = await request.body()  # chunked upload: measure what actually came
            if len(body) > self.max_bytes:
                return _too_large(self.max_bytes)
        return await call_next(request)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": f"请求内容过大（上限 {limit // 1024} KB）。"}, status_code=413)


REFILL_S = 60.0  # a per-minute bucket is full again after a minute


class RateLimit(BaseHTTPMiddleware):
    """Token bucket per client address: `per_minute` requests, bursts up to the same number."""

    def __init__(self, app, per_minute: int, max_clients: int = 100_000, exempt: tuple[str, ...] = ("/healthz", "/readyz", "/metrics")):
        super().__init__(app)
        self.rate, self.capacity, self.exempt = per_minute / 60.0, float(per_minute), exempt
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.max_clients = max_clients

    def allow(self, client: str, now: float) -> bool:
        """One request from client at now → whether its bucket still has a token."""
        tokens, last = self.buckets.pop(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        allowed = tokens >= 1
        self.buckets[client] = (tokens - 1 if allowed else tokens, now)
        # least recently seen first; a bucket idle for a minute is full again, the same as none, so
        # memory follows the clients of the last minute (and never exceeds max_clients)
        while len(self.buckets) > self.max_clients or now - next(iter(self.buckets.values()))[1] > REFILL_S:
            self.buckets.popitem(last=False)
        return allowed

    async def dispatch(self, request: Request, call_next):
        if request.url.path in self.exempt or self.allow(request.client.host if request.client else "-", time.monotonic()):
            return await call_next(request)
        return JSONResponse({"detail": "请求过于频繁，请稍后再试。"}, status_code=429, headers={"Retry-After": "10"})


class Metrics(BaseHTTPMiddleware):
    """Count and time every request by its route template (not the raw path: ids stay out of labels)."""

    async def dispatch(self, request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        name = getattr(route, "path", "unmatched")
        REQUESTS.labels(name, str(response.status_code)).inc()
        LATENCY.labels(name).observe(time.perf_counter() - started)
        return response
