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

    def close(self) -> None:
        """Releases connections at shutdown (after uvicorn has let in-flight turns finish)."""
        from agent.checkpoint import close_checkpointer

        self.store.close()
        self.locks.close()
        saver = getattr(getattr(self.engine, "graph", None), "checkpointer", None)
        if saver is not None:
            close_checkpointer(saver)


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
    settings = services.settings
    # The page the server itself hosts must be allowed, whatever port `serve` was given.
    served = [
        f"http://{host}:{settings.port}" for host in dict.fromkeys([settings.host, "localhost", "127.0.0.1"])
    ]
    origins = tuple(dict.fromkeys([*settings.allowed_origins, *served]))
    services.store.add_key(DEMO_WIDGET_KEY, DEFAULT_TENANT, "publishable", origins)
    return DEMO_WIDGET_KEY
