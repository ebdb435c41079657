"""The report: the shape of report.json in interfaces.md, plus fields that contract leaves open."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from agent.roadmap.models import NotApplicable, RoadmapItem, Timeline

READINESS_DEFINITION = (
    "Readiness = (implemented + 0.5 x partial) / (assessed in-scope controls - not applicable). "
    "Gaps and unknowns count 0: an unknown is never taken as implemented. Controls not yet asked about "
    "are left out and reported as not yet assessed."
)
CROSSWALK_DEFINITION = (
    "Each ISO 27001:2022 Annex A control and NIST CSF 2.0 subcategory gets the weakest status among the "
    "assessed, in-scope SOC 2 controls that map to it: gap, then partial, then unknown, then implemented; "
    "not_applicable only when every mapped control is. Ids reached by no assessed control are not listed: "
    "the crosswalk never claims coverage the assessment did not ask about, and a status here shows how far "
    "the SOC 2 work carries over, not an ISO or NIST assessment."
)


class ReportFinding(BaseModel):
    control_id: str
    title: str
    group: str
    category: str
    status: str
    rationale: str
    evidence_quotes: list[str] = Field(default_factory=list)
    criteria: list[str] = Field(default_factory=list)
    iso27001: list[str] = Field(default_factory=list)
    nist_csf: list[str] = Field(default_factory=list)
    rule: str = ""
    confidence: float = 0.7
    not_applicable_reason: str | None = None
    common_gap: int | None = None


class Summary(BaseModel):
    by_status: dict[str, int]
    by_group: dict[str, dict[str, int]]
    readiness: float
    readiness_definition: str = READINESS_DEFINITION
    in_scope_controls: int
    assessed: int
    not_yet_assessed: list[str] = Field(default_factory=list)


class CrosswalkEntry(BaseModel):
    id: str
    title: str
    status: str
    controls: dict[str, str]


class Report(BaseModel):
    assessment_id: str
    generated_on: date
    assessment_status: str = "complete"
    organization: dict[str, Any]
    scope: list[str]
    findings: list[ReportFinding]
    summary: Summary
    roadmap: list[RoadmapItem]
    timeline: Timeline
    crosswalk: dict[str, dict[str, str]]
    crosswalk_detail: dict[str, list[CrosswalkEntry]]
    crosswalk_definition: str = CROSSWALK_DEFINITION
    to_verify: list[str]
    not_applicable: list[NotApplicable] = Field(default_factory=list)
    stats: dict[str, int] = Field(default_factory=dict)
