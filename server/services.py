"""Everything a request handler needs, built once per process from Settings and injected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.settings import Settings
from server.limits import RateLimiter
from server.locks import AssessmentLocks, build_locks
from server.store import TenantStore, build_store

DEFAULT_TENANT = "local"
# The demo page's publishable key: only usable from allowed origins, only for its own sessions.
DEMO_WIDGET_KEY = "s2g_pk_local_demo"


@dataclass
class Services:
    settings: Settings
    engine: Any
    store: TenantStore
    locks: AssessmentLocks
    limiter: RateLimiter
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def kb(self) -> Any:
        return self.engine.kb


def build_services(settings: Settings, engine: Any | None = None) -> Services:
    if engine is None:
        from agent.runtime import build_engine

        engine = build_engine(settings)
    return Services(
        settings=settings,
        engine=engine,
        store=build_store(settings),
        locks=build_locks(settings),
        limiter=RateLimiter(settings.rate_limit_per_minute),
    )


def bootstrap_local_tenant(services: Services) -> str:
    """`make run`: a default tenant and widget key so the demo page works with zero configuration."""
    services.store.add_key(
        DEMO_WIDGET_KEY, DEFAULT_TENANT, "publishable", tuple(services.settings.allowed_origins)
    )
    return DEMO_WIDGET_KEY
