"""Request guards and measurement: body size limit (413), per-client rate limit (429), metrics, who may
read /metrics and the API docs, and the security headers of every response."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections import OrderedDict
from ipaddress import ip_address

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.accounts import authenticate
from server.metrics import LATENCY, REQUESTS


class BodyLimit(BaseHTTPMiddleware):
    """Refuse request bodies over max_bytes with 413 before any handler reads them; `larger` gives paths
    (exact) their own limit (the document library's uploads)."""

    def __init__(self, app, max_bytes: int, larger: dict[str, int] | None = None):
        super().__init__(app)
        self.max_bytes, self.larger = max_bytes, larger or {}

    async def dispatch(self, request: Request, call_next):
        limit = self.larger.get(request.url.path, self.max_bytes)
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return _too_large(limit)
        if request.method in ("POST", "PUT", "PATCH") and not declared:
            body = await request.body()  # chunked upload: measure what actually came
            if len(body) > limit:
                return _too_large(limit)
        return await call_next(request)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": f"请求内容过大（上限 {limit // 1024} KB）。"}, status_code=413)


REFILL_S = 60.0  # a per-minute bucket is full again after a minute


class RateLimit(BaseHTTPMiddleware):
    """Token bucket per client: `per_minute` requests per address, bursts up to the same number; a request
    carrying a staff account's token counts against that account (`staff_per_minute`) instead, because a call
    centre sits behind one NAT address."""

    def __init__(self, app, per_minute: int, staff_per_minute: int | None = None, credentials=(),
                 max_clients: int = 100_000, exempt: tuple[str, ...] = ("/healthz", "/readyz", "/metrics")):
        super().__init__(app)
        self.capacity, self.exempt = float(per_minute), exempt
        self.staff_capacity = float(staff_per_minute or per_minute)
        self.credentials = list(credentials)
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.max_clients = max_clients

    def client_key(self, request: Request) -> str:
        """A request → its bucket: "account:NAME" for a valid staff token, else the client address."""
        authorization = request.headers.get("authorization")
        account = authenticate(self.credentials, authorization) if authorization and self.credentials else None
        if account is not None:
            return f"account:{account.name}"
        return request.client.host if request.client else "-"

    def allow(self, client: str, now: float) -> bool:
        """One request from client at now → whether its bucket still has a token."""
        capacity = self.staff_capacity if client.startswith("account:") else self.capacity
        tokens, last = self.buckets.pop(client, (capacity, now))
        tokens = min(capacity, tokens + (now - last) * capacity / REFILL_S)
        allowed = tokens >= 1
        self.buckets[client] = (tokens - 1 if allowed else tokens, now)
        # least recently seen first; a bucket idle for a minute is full again, the same as none, so
        # memory follows the clients of the last minute (and never exceeds max_clients)
        while len(self.buckets) > self.max_clients or now - next(iter(self.buckets.values()))[1] > REFILL_S:
            self.buckets.popitem(last=False)
        return allowed

    async def dispatch(self, request: Request, call_next):
        if request.url.path in self.exempt or self.allow(self.client_key(request), time.monotonic()):
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


def bearer_matches(authorization: str | None, secret) -> bool:
    """An Authorization header and a SecretStr → whether it carries that bearer token (constant time)."""
    given = (authorization or "").removeprefix("Bearer ").strip()
    return secrets.compare_digest(given.encode(), secret.get_secret_value().encode())


DOCS_PATHS = ("/docs", "/openapi.json", "/static-offline-docs")  # fastapi-offline serves the UI's files
FORWARDING = ("forwarded", "x-forwarded-for", "x-real-ip")


class OpsAccess(BaseHTTPMiddleware):
    """/metrics and the API docs for whom settings.metrics_access / docs_access allow: 404 when off or from
    outside the internal networks, 401 without the ops token."""

    def __init__(self, app, settings):
        super().__init__(app)
        self.settings = settings
        self.modes = {"/metrics": settings.metrics_access, **{path: settings.docs_access for path in DOCS_PATHS}}

    async def dispatch(self, request: Request, call_next):
        path = request.url.path
        mode = next((m for p, m in self.modes.items() if path == p or path.startswith(p + "/")), None)
        if mode is None or self.allowed(mode, request):
            return await call_next(request)
        if mode == "token":
            return JSONResponse({"detail": "需要有效的运维令牌。"}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return JSONResponse({"detail": "Not Found"}, status_code=404)  # off, or not for this caller: nothing to see

    def allowed(self, mode: str, request: Request) -> bool:
        if mode == "token":
            return bearer_matches(request.headers.get("authorization"), self.settings.ops_token)
        if mode == "off" or any(h in request.headers for h in FORWARDING):
            return False  # a request relayed by a proxy came from outside, whatever address the proxy has
        try:
            client = ip_address(request.client.host if request.client else "")
        except ValueError:
            return False
        return any(client in network for network in self.settings.ops_networks)


# Our pages load scripts and styles from their own files only (tests/e2e/test_pages.py fails on any violation).
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI starts from one inline script, allowed by its hash (computed from the page served).
DOCS_CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
DOCS_PAGES = ("/docs", "/docs/oauth2-redirect")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
                    "Cross-Origin-Opener-Policy": "same-origin", "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


class SecurityHeaders(BaseHTTPMiddleware):
    """Every response: the Content-Security-Policy (no framing, own files only) and the other security headers."""

    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        if request.url.path in DOCS_PAGES and response.status_code == 200:
            response = await _with_docs_csp(response)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


async def _with_docs_csp(response) -> Response:
    """A docs page → the same page with a CSP that allows exactly its inline scripts."""
    body = b"".join([chunk async for chunk in response.body_iterator])
    inline = re.findall(r"<script>(.*?)</script>", body.decode("utf-8"), re.DOTALL)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline)
    headers = {**response.headers, "Content-Security-Policy": DOCS_CSP.format(hashes=hashes)}
    return Response(body, status_code=response.status_code, headers=headers)
