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
