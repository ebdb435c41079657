"""The FastAPI application: API, widget and Slack endpoint. Built late from Settings and services."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from agent.settings import Settings
from server.errors import install_error_handlers
from server.limits import BodySizeLimit
from server.locks import FileLocks
from server.logs import RequestIdMiddleware, configure_logging
from server.routes import assessments, health
from server.services import Services, bootstrap_local_tenant, build_services

ORIGINS_CACHE_S = 5.0
log = logging.getLogger("soc2gap.server")


def create_app(
    settings: Settings,
    services: Services | None = None,
    *,
    bootstrap: bool = False,
    warm_index: bool = False,
) -> FastAPI:
    """warm_index loads the retrieval index before the first request is accepted (what `serve` does),
    so no user's turn pays for loading the embedding model."""
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        built_here = getattr(app.state, "services", None) is None
        if built_here:
            app.state.services = build_services(settings)
        if bootstrap:
            bootstrap_local_tenant(app.state.services)
        if warm_index:
            await run_in_threadpool(warm_retrieval_index, app.state.services)
        log.info("worker ready")
        yield
        if built_here:
            app.state.services.close()

    app = FastAPI(
        title="SOC 2 gap-analysis agent",
        version="0.1.0",
        description=(
            "Runs a SOC 2 readiness assessment as one conversation. Authenticate with "
            '`Authorization: Bearer <key>`; errors are always `{"error": {"code", "message"}}`.'
        ),
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(assessments.router)
    _include_channel_routers(app)
    app.add_middleware(
        StoreAwareCORS,
        origins=_origin_source(app, settings),
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-Session-Token", "Idempotency-Key", "Accept"],
        expose_headers=["X-Request-ID", "Retry-After", "Content-Disposition"],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    return app


def warm_retrieval_index(services: Services) -> None:
    """Workers start together and share SOC2GAP_DATA_DIR: one at a time builds or opens the index, so
    the second finds it built instead of writing the same Chroma directory concurrently."""
    started = time.perf_counter()
    with FileLocks(Path(services.settings.data_dir) / "locks").hold("retrieval-index"):
        ready = services.engine.index_ready()
        retriever = getattr(getattr(services.engine, "deps", None), "retriever", None)
        if ready and retriever is not None:
            # One query loads the embedding model too, which the index alone does not.
            retriever.search("access reviews", 1)
    log.info(
        "retrieval index warm-up", extra={"ready": ready, "ms": round((time.perf_counter() - started) * 1000)}
    )


class StoreAwareCORS(CORSMiddleware):
    """Browsers may call from the configured origins and from any origin a publishable key names, so
    `soc2-gap keys create --publishable --origin URL` works without restarting the server."""

    def __init__(
        self,
        app: ASGIApp,
        origins: Callable[[], set[str]],
        allow_methods: Sequence[str] = ("GET",),
        allow_headers: Sequence[str] = (),
        expose_headers: Sequence[str] = (),
    ) -> None:
        super().__init__(
            app,
            allow_origins=(),
            allow_methods=allow_methods,
            allow_headers=allow_headers,
            expose_headers=expose_headers,
        )
        self._origins = origins

    def is_allowed_origin(self, origin: str) -> bool:
        return origin in self._origins()


def _origin_source(app: FastAPI, settings: Settings) -> Callable[[], set[str]]:
    cached: tuple[float, set[str]] = (float("-inf"), set())

    def origins() -> set[str]:
        nonlocal cached
        now = time.monotonic()
        if now - cached[0] > ORIGINS_CACHE_S:
            from_keys: set[str] = set()
            services = getattr(app.state, "services", None)
            if services is not None:
                from_keys = services.store.all_allowed_origins()
            cached = (now, set(settings.allowed_origins) | from_keys)
        return cached[1]

    return origins


def _include_channel_routers(app: FastAPI) -> None:
    from server.routes import slack, widget

    app.include_router(widget.router)
    app.include_router(slack.router)
