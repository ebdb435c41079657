"""The FastAPI application: API, widget and Slack endpoint. Built late from Settings and services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from agent.settings import Settings
from server.errors import install_error_handlers
from server.limits import BodySizeLimit
from server.logs import RequestIdMiddleware, configure_logging
from server.routes import assessments, health
from server.services import Services, build_services


def create_app(settings: Settings, services: Services | None = None, *, bootstrap: bool = False) -> FastAPI:
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "services", None) is None:
            app.state.services = build_services(settings)
        if bootstrap:
            from server.services import bootstrap_local_tenant

            bootstrap_local_tenant(app.state.services)
        yield
        app.state.services.store.close()

    app = FastAPI(
        title="SOC 2 gap-analysis agent",
        version="0.1.0",
        description="Runs a SOC 2 readiness assessment as one conversation.",
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(assessments.router)
    _include_channel_routers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.allowed_origins),
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-Session-Token", "Idempotency-Key", "Accept"],
        expose_headers=["X-Request-ID"],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    return app


def _include_channel_routers(app: FastAPI) -> None:
    from server.routes import slack, widget

    app.include_router(widget.router)
    app.include_router(slack.router)
