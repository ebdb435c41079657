"""The rubric, rule by rule, on controls built here so the table does not move when the KB is edited."""

from __future__ import annotations

import pytest

from agent.kb.models import Control, Remediation, Requirement, Threshold
from agent.scoring import merge_judgments, score_control, unresolved_requirements
from agent.state import RequirementJudgment


def _control(**overrides: object) -> Control:
    fields: dict[str, object] = {
        "id": "CC9-TEST-CONTROL",
        "group": "CC9",
        "category": "security",
        "title": "Access reviews done quarterly with evidence",
        "criteria": ["CC6.2"],
        "question": "Do you review access?",
        "follow_up": "Is there a ticket?",
        "keywords": ["access review"],
        "requirements": [
            Requirement(id="done", aspect="exists", text="Reviews are actually done."),
            Requirement(id="followed", aspect="practice", text="The process is followed in practice."),
            Requirement(id="every-system", aspect="coverage", text="Every system is reviewed."),
            Requirement(
                id="quarterly",
                aspect="cadence",
                text="At least quarterly.",
                threshold=Threshold(kind="min_frequency", frequency="quarterly"),
            ),
            Requirement(
                id="ticket", aspect="evidence", text="A ticket names the reviewers.", must_confirm=True
            ),
            Requirement(id="export", aspect="evidence", text="The list can be exported."),
        ],
        "evidence": ["ticket"],
        "remediation": Remediation(steps=["a", "b"], effort_days=2, owner="IT"),
        "iso27001": ["A.5.18"],
        "nist_csf": ["PR.AA-05"],
    }
    fields.update(overrides)
    return Control.model_validate(fields)


CONTROL = _control()


def j(requirement_id: str, verdict: str, reason: str = "") -> RequirementJudgment:
    return RequirementJudgment(requirement_id=requirement_id, verdict=verdict, reason=reason, quotes=["q"])  # type: ignore[arg-type]


ALL_MET = [j(r.id, "met", "affirmed") for r in CONTROL.requirements]

CASES = [
    # (name, judgments, not_applicable_reason, status, rule)
    ("bare yes affirms everything", ALL_MET, None, "implemented", "face-value-claim"),
    (
        "every requirement explicitly met",
        [j(r.id, "met", "evidence_named") for r in CONTROL.requirements],
        None,
        "implemented",
        "all-requirements-met",
    ),
    (
        "silent non-must-confirm requirements are ignored",
        [j("done", "met", "affirmed"), j("ticket", "met", "evidence_named")],
        None,
        "implemented",
        "face-value-claim",
    ),
    ("absent", [j("done", "not_met", "negated")], None, "gap", "absent"),
    ("intent only", [j("done", "not_met", "intent_only")], None, "gap", "intent-only"),
    (
        "policy contradicted by practice",
        [j("done", "met"), j("followed", "not_met", "policy_contradicted")],
        None,
        "gap",
        "practice-contradicts-policy",
    ),
    ("calendar invite", [j("done", "not_met", "scheduled_not_done")], None, "gap", "scheduled-not-done"),
    ("findings untracked", [j("followed", "not_met", "untracked")], None, "gap", "findings-untracked"),
    ("reviewed is not a test", [j("done", "not_met", "not_a_test")], None, "gap", "not-a-test"),
    (
        "one system excepted",
        [j("done", "met"), j("every-system", "not_met", "coverage_exception"), j("ticket", "met")],
        None,
        "partial",
        "coverage-exception",
    ),
    (
        "annual instead of quarterly",
        [j("done", "met"), j("quarterly", "not_met", "threshold_miss"), j("ticket", "met")],
        None,
        "partial",
        "threshold-missed",
    ),
    (
        "no records",
        [j("done", "met"), j("ticket", "not_met", "evidence_missing")],
        None,
        "partial",
        "evidence-missing",
    ),
    (
        "existence partly met is partial, not gap",
        [j("done", "partly_met", "threshold_miss"), j("ticket", "met")],
        None,
        "partial",
        "threshold-missed",
    ),
    (
        "must-confirm evidence never confirmed",
        [j("done", "met", "affirmed")],
        None,
        "partial",
        "evidence-unconfirmed",
    ),
    (
        "user unsure",
        [j(r.id, "unknown", "user_unsure") for r in CONTROL.requirements],
        None,
        "unknown",
        "user-unsure",
    ),
    ("nothing said", [], None, "unknown", "no-usable-answer"),
    (
        "not applicable with a reason",
        [],
        "fully remote, no office network",
        "not_applicable",
        "not-applicable-justified",
    ),
    (
        "gap outranks partial",
        [j("done", "not_met"), j("every-system", "not_met")],
        None,
        "gap",
        "requirement-not-met",
    ),
    (
        "existence implied by a shortfall",
        [j("every-system", "not_met", "coverage_exception")],
        None,
        "partial",
        "coverage-exception",
    ),
    (
        "judgments for unknown requirements are ignored",
        [j("nope", "met")],
        None,
        "unknown",
        "no-usable-answer",
    ),
]


@pytest.mark.parametrize(
    ("name", "judgments", "na_reason", "status", "rule"), CASES, ids=[c[0] for c in CASES]
)
def test_rubric_rule(
    name: str, judgments: list[RequirementJudgment], na_reason: str | None, status: str, rule: str
) -> None:
    result = score_control(CONTROL, judgments, na_reason)
    assert (result.status, result.rule) == (status, rule)
    assert result.rationale.endswith(".")
    assert "\n" not in result.rationale


def test_rationale_names_the_deciding_requirement() -> None:
    result = score_control(CONTROL, [j("done", "met"), j("quarterly", "not_met", "threshold_miss")], None)
    assert "At least quarterly" in result.rationale


def test_later_verdict_overrides_earlier_one() -> None:
    merged = merge_judgments([j("done", "met"), j("ticket", "met")], [j("done", "not_met", "negated")])
    by_id = {x.requirement_id: x.verdict for x in merged}
    assert by_id == {"done": "not_met", "ticket": "met"}


def test_later_unknown_keeps_what_is_known() -> None:
    merged = merge_judgments(
        [j("quarterly", "not_met")], [j("quarterly", "unknown", "user_unsure"), j("ticket", "unknown")]
    )
    by_id = {x.requirement_id: x.verdict for x in merged}
    assert by_id == {"quarterly": "not_met", "ticket": "unknown"}


def test_follow_up_resolves_a_contradiction() -> None:
    first = [
        j("done", "met", "affirmed"),
        j("ticket", "met", "affirmed"),
        j("quarterly", "met", "threshold_met"),
    ]
    later = [j("quarterly", "not_met", "threshold_miss")]
    assert score_control(CONTROL, merge_judgments(first, later), None).status == "partial"


def test_unresolved_lists_existence_then_must_confirm_and_thresholds() -> None:
    assert {r.id for r in unresolved_requirements(CONTROL, [])} >= {"done", "followed", "ticket"}
    after_yes = unresolved_requirements(CONTROL, [j("done", "met")])
    assert {r.id for r in after_yes} == {"ticket", "quarterly"}
    assert unresolved_requirements(CONTROL, [j("done", "not_met")]) == []
    assert unresolved_requirements(CONTROL, ALL_MET) == []
