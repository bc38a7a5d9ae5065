"""Gateway wiring: settings, the knowledge retriever (loaded once at start-up) and the routes."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.routes import search


def create_app(retriever=None) -> FastAPI:
    """→ the FastAPI app; the retriever is opened at start-up unless one is given (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if retriever is None:
            from knowledge.service import open_retriever

            app.state.retriever = open_retriever(rebuild=False)
        else:
            app.state.retriever = retriever
        yield

    app = FastAPI(title="就业创业政策助手 API", version="0.1.0", lifespan=lifespan)
    app.include_router(search.router)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict:
        return {"status": "ok"}

    return app


app = create_app()
