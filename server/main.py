"""Gateway wiring: settings, the knowledge retriever and dialogue client (opened once at start-up),
guards, routes, channels and the static pages."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from actions import store
from server import errors
from server.config import Settings
from server.dialogue import RasaDialogue
from server.middleware import BodyLimit, Metrics, OpsAccess, RateLimit, SecurityHeaders
from server.privacy import install_log_masking
from server.routes import chat, gaps, insights, library, live, ops, search, staff
from server.routes.library import UPLOAD_PATH

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, retriever=None, dialogue=None) -> FastAPI:
    """→ the app; retriever and dialogue are opened at start-up unless given (tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if retriever is None:
            from knowledge.service import open_retriever

            app.state.retriever = open_retriever(rebuild=False, live=True)  # a missing index stops start-up with its path
            log.info("retrieval warm in %.1f s", app.state.retriever.warm_up())  # before the port opens, not at the first citizen
        app.state.dialogue = dialogue or _dialogue(settings)
        store.ensure_schema()  # records migrated before the first request, not during a citizen's handoff
        _mount_channels(app, settings)
        yield
        if dialogue is None:
            await app.state.dialogue.close()

    # docs UI: Swagger UI from files we serve (no CDN: closed networks, a CSP naming only our origin);
    # no ReDoc, which fetches its logo from redoc.ly
    off = {"openapi_url": None, "docs_url": None} if settings.docs_access == "off" else {}
    app = (FastAPI if off else FastAPIOffline)(title="就业创业政策助手 API", version="0.2.0", lifespan=lifespan, redoc_url=None, **off)
    app.state.settings = settings
    errors.install(app)
    app.state.retriever = retriever
    app.add_middleware(Metrics)
    app.add_middleware(OpsAccess, settings=settings)
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute,
                       staff_per_minute=settings.staff_rate_limit_per_minute, credentials=settings.credentials)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, larger={UPLOAD_PATH: settings.library_max_upload_mb * 2**20})
    if settings.allowed_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins, allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
    app.add_middleware(SecurityHeaders)  # outermost: refusals (413, 429, 404) carry the headers too
    for module in (ops, search, chat, live, staff, gaps, insights, library):
        app.include_router(module.router)
    _pages(app)
    return app


def _dialogue(settings: Settings) -> RasaDialogue:
    """Settings → the Rasa client with its breakers and a turn timeout per channel."""
    wechat = settings.wechat_turn_timeout_s
    return RasaDialogue(settings.rasa_url, settings.rasa_timeout_s, actions_url=settings.actions_url,
                        timeouts={"wechat": wechat, "wecom": wechat}, cooldown_s=settings.breaker_cooldown_s,
                        probe_timeout_s=settings.breaker_probe_timeout_s)


def _mount_channels(app: FastAPI, settings: Settings) -> None:
    """Mount the WeChat channels that are configured (the module lists what is disabled)."""
    try:
        from server.channels import mount
    except ImportError:
        return
    mount(app, settings, app.state.dialogue)


def _pages(app: FastAPI) -> None:
    """The demo page with the widget at /, the staff console at /staff, assets under /static."""
    if not STATIC.is_dir():
        return
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def demo() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/staff", include_in_schema=False)
    def console() -> FileResponse:
        return FileResponse(STATIC / "staff.html")


def app_from_env() -> FastAPI:
    """uvicorn factory: `uvicorn --factory server.main:app_from_env`."""
    logging.basicConfig(level=logging.INFO)
    install_log_masking()
    return create_app()
