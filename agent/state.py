"""Assessment state and the structured-output models shared by interpreters, scorer, graph and reports."""

from __future__ import annotations

import operator
from datetime import date
from typing import Annotated, Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["implemented", "partial", "gap", "not_applicable", "unknown"]
STATUSES: tuple[Status, ...] = ("implemented", "partial", "gap", "not_applicable", "unknown")
Verdict = Literal["met", "partly_met", "not_met", "unknown"]
AuditType = Literal["type1", "type2"]

# Profile keys follow shared/spec/eval-fixtures.md; the stack keys word questions and remediation.
INTAKE_FIELDS: tuple[str, ...] = (
    "company_name",
    "employees",
    "audit_type",
    "target_audit_date",
    "uptime_commitments",
    "confidentiality_commitments",
    "processing_integrity_commitments",
    "privacy_commitments",
    "cloud",
    "identity_provider",
    "email_suite",
    "code_host",
)


class Profile(BaseModel):
    model_config = ConfigDict(extra="allow")

    company_name: str | None = None
    employees: int | None = None
    audit_type: AuditType | None = None
    target_audit_date: date | None = None
    uptime_commitments: bool | None = None
    confidentiality_commitments: bool | None = None
    processing_integrity_commitments: bool | None = None
    privacy_commitments: bool | None = None
    cloud: str | None = None  # aws | gcp | azure | other
    identity_provider: str | None = None  # okta | google | microsoft | other
    email_suite: str | None = None  # google | microsoft | other
    code_host: str | None = None  # github | gitlab | other

    def scope(self) -> list[str]:
        scope = ["security"]
        for field_name, category in (
            ("uptime_commitments", "availability"),
            ("confidentiality_commitments", "confidentiality"),
            ("processing_integrity_commitments", "processing_integrity"),
            ("privacy_commitments", "privacy"),
        ):
            if getattr(self, field_name):
                scope.append(category)
        return scope


class Pending(BaseModel):
    """What the agent is waiting for; serialized as `pending` in every channel."""

    kind: Literal["intake", "control", "done"]
    field: str | None = None
    control_ids: list[str] = Field(default_factory=list)


class RequirementJudgment(BaseModel):
    """An interpreter's reading of one requirement. Models fill these; they never set a status."""

    requirement_id: str
    verdict: Verdict
    # Machine-readable cause: coverage_exception, threshold_miss, evidence_missing, evidence_named,
    # intent_only, policy_contradicted, negated, affirmed, scheduled_not_done, untracked, hedged, ...
    reason: str = ""
    quotes: list[str] = Field(default_factory=list)


class ControlReading(BaseModel):
    """Everything one user message says about one control."""

    control_id: str
    judgments: list[RequirementJudgment] = Field(default_factory=list)
    not_applicable_reason: str | None = None
    user_unsure: bool = False
    confidence: float = Field(default=0.7, ge=0.0, le=1.0)


class Interpretation(BaseModel):
    """An interpreter's reading of one user message."""

    readings: list[ControlReading] = Field(default_factory=list)
    # The user asked something back instead of answering ("what counts as evidence here?").
    question_back: str | None = None
    # skip | back | progress | pause | change:<control id>
    command: str | None = None
    injection_detected: bool = False
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    source: Literal["offline", "anthropic", "offline-fallback"] = "offline"


class Finding(BaseModel):
    control_id: str
    status: Status
    rationale: str
    rule: str
    evidence_quotes: list[str] = Field(default_factory=list)
    judgments: list[RequirementJudgment] = Field(default_factory=list)
    confidence: float = 0.7
    turn: int = 0
    not_applicable_reason: str | None = None


class Message(TypedDict):
    role: Literal["user", "assistant"]
    text: str
    turn: int


def merge_findings(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Findings update by control id; a None value removes one (used by 'change my answer')."""
    merged = dict(old or {})
    for key, value in (new or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


class AssessmentState(TypedDict, total=False):
    assessment_id: str
    profile: dict[str, Any]
    scope: list[str]
    queue: list[list[str]]  # remaining question groups, each a list of control ids
    asked: list[list[str]]  # groups already asked, in order (for "go back")
    transcript: Annotated[list[Message], operator.add]
    findings: Annotated[dict[str, dict[str, Any]], merge_findings]  # control id -> Finding.model_dump()
    answers: dict[str, list[str]]  # control id -> the user's (redacted) words about it, in order
    pending: dict[str, Any]  # Pending.model_dump()
    followups_used: dict[str, int]
    turn: int
    last_input: str
    outbox: list[str]  # the agent's messages for the current turn
    domains_done: list[str]
    stats: dict[str, int]  # questions, model_calls, input_tokens, output_tokens, cached_tokens
    status: Literal["in_progress", "complete"]
    paused: bool
