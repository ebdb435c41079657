"""Schema of the knowledge base files. Field names here are the YAML keys."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["security", "availability", "confidentiality", "processing_integrity", "privacy"]
Aspect = Literal["exists", "practice", "coverage", "cadence", "evidence"]
Frequency = Literal["continuous", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual"]

CATEGORIES: tuple[Category, ...] = (
    "security",
    "availability",
    "confidentiality",
    "processing_integrity",
    "privacy",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(Strict):
    id: str
    category: Category
    group: str
    title: str
    summary: str = Field(min_length=20)
    auditor_examines: list[str] = Field(min_length=1)


class Threshold(Strict):
    """A window or limit the guide sets, as data the interpreter compares answers against.

    kind:
      max_age       - last done no longer ago than `days` (365 = within 12 months)
      max_delay     - done within `days` of the trigger (1 = 24 hours; 30 = critical vulns)
      min_retention - kept at least `days` (365 = 12-month log retention)
      min_frequency - performed at least every `frequency`
      min_version   - protocol version at least `version` ("1.2" for TLS)
    """

    kind: Literal["max_age", "max_delay", "min_retention", "min_frequency", "min_version"]
    days: int | None = None
    frequency: Frequency | None = None
    version: str | None = None


class Requirement(Strict):
    """One checkable statement. `aspect` tells the scorer what failing it means:

    exists / practice -> not met makes the control a gap (absent, paper-only, contradicted by practice)
    coverage / cadence / evidence -> not met makes it partial (it operates, but falls short)
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: str
    aspect: Aspect
    threshold: Threshold | None = None
    # Words that show an answer is talking about this requirement (lower case, matched as substrings).
    signals: list[str] = Field(default_factory=list)
    # When true, the control cannot be `implemented` until the user confirms this requirement.
    must_confirm: bool = False


class Remediation(Strict):
    steps: list[str] = Field(min_length=2)
    # Stack-specific examples keyed by stack value: aws, gcp, azure, okta, google, microsoft, github, gitlab.
    stack_examples: dict[str, list[str]] = Field(default_factory=dict)
    effort_days: int = Field(ge=1, le=120)
    owner: str
    depends_on: list[str] = Field(default_factory=list)


class Control(Strict):
    id: str = Field(pattern=r"^[A-Z]+[0-9]*-[A-Z0-9-]+$")
    group: str
    category: Category
    title: str
    criteria: list[str] = Field(min_length=1)
    question: str
    follow_up: str
    # Other controls a person would answer in the same breath; the planner asks them together.
    ask_with: list[str] = Field(default_factory=list)
    # Words and jargon that mean an answer concerns this control ("2fa", "siem", "tabletop").
    keywords: list[str] = Field(min_length=1)
    requirements: list[Requirement] = Field(min_length=1)
    evidence: list[str] = Field(min_length=1)
    not_evidence: list[str] = Field(default_factory=list)
    common_gap: int | None = Field(default=None, ge=1, le=10)
    # When the control can honestly not apply, and what the user must say for that.
    not_applicable_when: str | None = None
    remediation: Remediation
    iso27001: list[str] = Field(min_length=1)
    nist_csf: list[str] = Field(min_length=1)
    seed: bool = False


class CommonGap(Strict):
    rank: int = Field(ge=1, le=10)
    title: str
    why_flagged: str
    evidence_that_closes: list[str] = Field(min_length=1)
    control_ids: list[str] = Field(min_length=1)


class ScopeTrigger(Strict):
    category: Category
    profile_field: str
    question: str
    in_scope_when: str


class Timing(Strict):
    first_run_months_before: int
    rerun_days_before: tuple[int, int]
    default_observation_months: int
    type1: str
    type2: str
    notes: list[str] = Field(default_factory=list)


class Scoping(Strict):
    always_in_scope: list[Category]
    triggers: list[ScopeTrigger]
    timing: Timing


class CriteriaFile(Strict):
    criteria: list[Criterion]


class ControlsFile(Strict):
    controls: list[Control]


class CommonGapsFile(Strict):
    common_gaps: list[CommonGap]


class GroupsFile(Strict):
    groups: dict[str, str]
