"""Operations: liveness, readiness (index loaded, Rasa and action server reachable, breaker states) and
Prometheus metrics."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from server.dialogue import replica_urls

router = APIRouter(tags=["ops"])


@router.get("/healthz")
def healthz() -> dict:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request, response: Response) -> dict:
    """Readiness: → each dependency's state and its circuit breaker's; 503 unless all are up."""
    settings = request.app.state.settings
    retriever = getattr(request.app.state, "retriever", None)
    checks = {"index": retriever is not None}
    async with httpx.AsyncClient(timeout=2.0) as client:
        checks["rasa"] = any([await _up(client, f"{url}/") for url in replica_urls(settings.rasa_url)])  # one can serve
        checks["actions"] = await _up(client, f"{settings.actions_url.rstrip('/')}/health")
    if not all(checks.values()):
        response.status_code = 503
    dialogue = getattr(request.app.state, "dialogue", None)
    breakers = dialogue.breaker_states() if hasattr(dialogue, "breaker_states") else {}
    return {"ready": all(checks.values()), "checks": checks, "breakers": breakers,
            "index_key": retriever.index.key if retriever else None}


async def _up(client: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await client.get(url)).status_code == 200
    except httpx.HTTPError:
        return False


@router.get("/metrics")
def metrics() -> Response:
    """Prometheus text exposition."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
