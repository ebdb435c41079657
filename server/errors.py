"""Every error leaves as JSON {"error": {"code", "message"}}; a stack trace never reaches a client."""

from __future__ import annotations

import logging
import sqlite3

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("soc2gap.server")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "invalid_request",
    429: "rate_limited",
    503: "unavailable",
}


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
    ):
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.headers = headers or {}
        super().__init__(message)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def unavailable_errors() -> tuple[type[Exception], ...]:
    """Database trouble a client can wait out (locked SQLite, Postgres down, pool exhausted): 503."""
    found: list[type[Exception]] = [sqlite3.OperationalError]
    try:
        import psycopg
        from psycopg_pool import PoolTimeout

        found += [psycopg.OperationalError, PoolTimeout]
    except ImportError:  # the postgres extra is optional
        pass
    return tuple(found)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
        return JSONResponse(
            error_body(CODES.get(exc.status_code, "error"), message),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            if err.get("type") == "json_invalid":
                problems.append(
                    f"the body is not valid JSON ({err.get('ctx', {}).get('error', 'parse error')})"
                )
                continue
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return JSONResponse(error_body("invalid_request", "; ".join(problems)), status_code=422)

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("store unavailable", extra={"path": request.url.path, "error": type(exc).__name__})
        return JSONResponse(
            error_body("unavailable", "The assessment store is busy or unreachable; retry shortly."),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    for exc_type in unavailable_errors():
        app.add_exception_handler(exc_type, unavailable)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return JSONResponse(
            error_body(
                "internal_error", "Something went wrong on our side; your last answer was not applied."
            ),
            status_code=500,
        )
