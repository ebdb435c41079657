"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from server.deps import ServicesDep
from server.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(services: ServicesDep) -> JSONResponse:
    checks = {"store": False, "index": False, "engine": False}
    try:
        checks["store"] = services.store.ping()
    except Exception:  # readiness reports, it never raises
        checks["store"] = False
    try:
        checks["engine"] = bool(services.engine.ready())
        checks["index"] = bool(services.engine.index_ready())
    except Exception:
        pass
    ok = all(checks.values())
    return JSONResponse(
        Health(status="ok" if ok else "unavailable", checks=checks).model_dump(),
        status_code=200 if ok else 503,
    )
