"""Annotated dependencies: services, the calling principal, and assessments it may touch.

They are async on purpose: each is one indexed lookup, cheaper than the hop to a worker thread (and the
wait for the GIL there) that FastAPI makes for every sync dependency under load.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request

from server.errors import ApiError
from server.services import Services
from server.store import hash_secret


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


@dataclass(frozen=True)
class Principal:
    tenant: str
    kind: str  # secret | publishable
    key_hash: str
    session_token: str | None


async def get_principal(
    request: Request,
    services: ServicesDep,
    authorization: Annotated[str | None, Header()] = None,
    x_session_token: Annotated[str | None, Header()] = None,
) -> Principal:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ApiError(401, "Send your API key as 'Authorization: Bearer <key>'.")
    key = authorization[7:].strip()
    found = services.store.lookup_key(key)
    if found is None:
        raise ApiError(401, "That API key is not valid.")
    if found.kind == "publishable":
        origin = request_origin(request)
        if origin is None or origin not in found.allowed_origins:
            raise ApiError(403, "This publishable key may only be used from its allowed origins.")
    key_hash = hash_secret(key)
    allowed, retry_after = services.limiter.allow(key_hash)
    if not allowed:
        raise ApiError(
            429, "Too many requests for this key; slow down.", headers={"Retry-After": str(retry_after)}
        )
    return Principal(tenant=found.tenant, kind=found.kind, key_hash=key_hash, session_token=x_session_token)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def request_origin(request: Request) -> str | None:
    """Browsers omit Origin on same-origin GETs (the demo page reading its own assessment); then
    Sec-Fetch-Site, which page scripts cannot set, vouches that the caller is a page of this host."""
    origin = request.headers.get("origin")
    if origin is None and request.headers.get("sec-fetch-site") == "same-origin":
        host = request.headers.get("host")
        if host:
            origin = f"{request.url.scheme}://{host}"
    return origin


async def require_secret_key(principal: PrincipalDep) -> Principal:
    if principal.kind != "secret":
        raise ApiError(403, "This operation needs a secret API key.")
    return principal


SecretPrincipalDep = Annotated[Principal, Depends(require_secret_key)]


async def get_owned_assessment(
    assessment_id: Annotated[str, Path(min_length=1, max_length=100)],
    principal: PrincipalDep,
    services: ServicesDep,
) -> str:
    """Another tenant's assessment, or another browser's, is indistinguishable from a missing one."""
    owner = services.store.owner(assessment_id)
    missing = ApiError(404, f"No assessment {assessment_id!r}.")
    if owner is None or owner[0] != principal.tenant:
        raise missing
    if principal.kind == "publishable":
        session_hash = owner[1]
        if not principal.session_token or session_hash is None:
            raise missing
        if not hmac.compare_digest(hash_secret(principal.session_token), session_hash):
            raise missing
    return assessment_id


OwnedAssessmentDep = Annotated[str, Depends(get_owned_assessment)]
