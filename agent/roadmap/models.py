"""The roadmap's output shapes: items, phases and the audit timeline they are scheduled against."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

ItemKind = Literal["remediate", "verify", "rerun"]

PHASES: tuple[str, ...] = (
    "Foundations",
    "Close critical gaps",
    "Close remaining gaps",
    "Operate and collect evidence",
    "Pre-audit re-run",
)


class RoadmapItem(BaseModel):
    rank: int
    control_ids: list[str]
    title: str
    why: str
    steps: list[str]
    evidence_to_collect: list[str]
    owner: str
    effort_days: int
    # Control ids this item waits for (stable across runs, unlike ranks).
    depends_on: list[str] = Field(default_factory=list)
    depends_on_ranks: list[int] = Field(default_factory=list)
    phase: str
    start: date
    due: date
    kind: ItemKind = "remediate"
    statuses: dict[str, str] = Field(default_factory=dict)
    common_gap: int | None = None
    # Latest due date that still keeps the target audit date (dependents included).
    latest_due: date | None = None
    slack_days: int | None = None
    # Type II: the day the control must be operating so the observation window is covered.
    operating_by: date | None = None


class Phase(BaseModel):
    name: str
    start: date
    end: date
    description: str


class Timeline(BaseModel):
    today: date
    audit_type: Literal["type1", "type2"]
    audit_type_assumed: bool = False
    target_audit_date: date | None
    # The audit date the re-run and windows are planned against (the target, or the realistic date).
    planned_audit_date: date
    observation_window_months: int
    observation_window_start: date | None
    remediation_deadline: date
    work_complete_by: date
    realistic: bool
    earliest_realistic_date: date
    rerun_start: date
    rerun_due: date
    first_run_recommended_by: date
    phases: list[Phase] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class NotApplicable(BaseModel):
    control_id: str
    title: str
    justification: str


class Roadmap(BaseModel):
    items: list[RoadmapItem]
    timeline: Timeline
    to_verify: list[str]
    not_applicable: list[NotApplicable]
