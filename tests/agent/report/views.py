"""Engine views for report tests, built with the engine's own AssessmentView model (the contract)."""

from __future__ import annotations

from datetime import date
from typing import Any

from agent.engine import AssessmentView, Progress
from agent.state import Finding, Pending, Profile
from tests.agent.roadmap.small_kb import SCENARIO, profile


def view(
    findings: list[Finding] | None = None,
    assessment_id: str = "asm-acme-1",
    status: str = "complete",
    updated_at: date | None = None,
    **profile_overrides: Any,
) -> AssessmentView:
    org: Profile = profile(**profile_overrides)
    return AssessmentView(
        assessment_id=assessment_id,
        profile=org,
        scope=org.scope(),
        findings=list(SCENARIO if findings is None else findings),
        progress=Progress(),
        transcript=[],
        pending=Pending(kind="done")
        if status == "complete"
        else Pending(kind="control", control_ids=["CC7-VULN-SCAN"]),
        status=status,  # type: ignore[arg-type]
        stats={"questions": 17, "model_calls": 0, "input_tokens": 0, "output_tokens": 0, "cached_tokens": 0},
        updated_at=updated_at,
    )
