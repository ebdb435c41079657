"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="The user's reply, in their own words.")


class StartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: Literal["api", "widget", "slack"] = "api"


class TurnOut(BaseModel):
    assessment_id: str
    messages: list[str]
    pending: dict[str, Any]
    progress: dict[str, Any]
    status: Literal["in_progress", "complete"]
    session_token: str | None = Field(
        default=None, description="Widget sessions only: send it back as X-Session-Token to continue."
    )


class AssessmentOut(BaseModel):
    assessment_id: str
    profile: dict[str, Any]
    scope: list[str]
    findings: list[dict[str, Any]]
    progress: dict[str, Any]
    transcript: list[dict[str, Any]]
    pending: dict[str, Any]
    status: Literal["in_progress", "complete"]
    stats: dict[str, Any] = Field(default_factory=dict)


class AssessmentList(BaseModel):
    assessments: list[str]


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, bool] = Field(default_factory=dict)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


# Documented on every route so /docs shows the one error shape clients must handle.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        401: "Missing or invalid API key",
        403: "Key not allowed here (publishable key from another origin, or a secret-only operation)",
        404: "No such assessment for this tenant",
        409: "Assessment complete, or a duplicate Idempotency-Key",
        413: "Request body too large",
        422: "Invalid JSON, invalid fields, or a message over the length limit",
        429: "Rate limit for this key exceeded (see Retry-After)",
    }.items()
}
