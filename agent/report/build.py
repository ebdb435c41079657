"""Build the report of one assessment from the engine's view of it."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from agent.kb import KnowledgeBase
from agent.report.crosswalk import crosswalk
from agent.report.models import Report, ReportFinding, Summary
from agent.roadmap import build_roadmap
from agent.roadmap.build import in_scope_findings
from agent.settings import Settings
from agent.state import STATUSES, Finding, Profile

READINESS_WEIGHTS: dict[str, float] = {"implemented": 1.0, "partial": 0.5, "gap": 0.0, "unknown": 0.0}


class AssessmentViewLike(Protocol):
    """The fields of engine.AssessmentView that a report reads."""

    @property
    def assessment_id(self) -> str: ...
    @property
    def profile(self) -> Any: ...
    @property
    def scope(self) -> list[str]: ...
    @property
    def findings(self) -> Any: ...
    @property
    def status(self) -> str: ...
    @property
    def stats(self) -> Any: ...


def _as_profile(value: Any) -> Profile:
    return value if isinstance(value, Profile) else Profile.model_validate(dict(value or {}))


def _as_findings(value: Any) -> list[Finding]:
    items = value.values() if isinstance(value, dict) else (value or [])
    return [f if isinstance(f, Finding) else Finding.model_validate(f) for f in items]


def _as_stats(value: Any) -> dict[str, int]:
    raw = value.model_dump() if hasattr(value, "model_dump") else dict(value or {})
    return {k: int(v) for k, v in raw.items() if isinstance(v, int | float)}


def readiness(findings: list[Finding]) -> float:
    counted = [f for f in findings if f.status in READINESS_WEIGHTS]
    if not counted:
        return 0.0
    return round(sum(READINESS_WEIGHTS[f.status] for f in counted) / len(counted), 3)


def summarize(kb: KnowledgeBase, scope: list[str], scored: dict[str, Finding]) -> Summary:
    by_status = dict.fromkeys(STATUSES, 0)
    by_group: dict[str, dict[str, int]] = {}
    for control in kb.controls_in(scope):
        by_group.setdefault(control.group, dict.fromkeys(STATUSES, 0))
    for control_id, finding in scored.items():
        by_status[finding.status] += 1
        by_group[kb.control(control_id).group][finding.status] += 1
    in_scope = [c.id for c in kb.controls_in(scope)]
    return Summary(
        by_status=by_status,
        by_group=by_group,
        readiness=readiness(list(scored.values())),
        in_scope_controls=len(in_scope),
        assessed=len(scored),
        not_yet_assessed=[cid for cid in in_scope if cid not in scored],
    )


def build_report(view: AssessmentViewLike, kb: KnowledgeBase, settings: Settings, today: date) -> Report:
    profile = _as_profile(view.profile)
    scope = list(view.scope or profile.scope())
    kb_order = {c.id: i for i, c in enumerate(kb.controls)}
    scored = dict(
        sorted(
            in_scope_findings(kb, _as_findings(view.findings), scope).items(), key=lambda kv: kb_order[kv[0]]
        )
    )
    roadmap = build_roadmap(
        kb, list(scored.values()), profile, scope, today, settings.observation_window_months
    )
    detail = crosswalk(kb, scored)
    findings = []
    for control_id, finding in scored.items():
        control = kb.control(control_id)
        findings.append(
            ReportFinding(
                control_id=control_id,
                title=control.title,
                group=control.group,
                category=control.category,
                status=finding.status,
                rationale=finding.rationale,
                evidence_quotes=list(finding.evidence_quotes),
                criteria=list(control.criteria),
                iso27001=list(control.iso27001),
                nist_csf=list(control.nist_csf),
                rule=finding.rule,
                confidence=finding.confidence,
                not_applicable_reason=finding.not_applicable_reason,
                common_gap=control.common_gap,
            )
        )
    return Report(
        assessment_id=view.assessment_id,
        generated_on=today,
        assessment_status=str(view.status or "in_progress"),
        organization=profile.model_dump(mode="json"),
        scope=scope,
        findings=findings,
        summary=summarize(kb, scope, scored),
        roadmap=roadmap.items,
        timeline=roadmap.timeline,
        crosswalk={fw: {e.id: e.status for e in entries} for fw, entries in detail.items()},
        crosswalk_detail=detail,
        to_verify=roadmap.to_verify,
        not_applicable=roadmap.not_applicable,
        stats=_as_stats(view.stats),
    )
