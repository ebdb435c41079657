"""The rubric as one deterministic function: requirement judgments in, one status out.

Interpreters (offline or model) only judge requirements; this module alone turns judgments into a
status, so every channel and every interpreter scores the same words the same way
(shared/spec/scoring-rubric.md plus the team conventions in the brief).
"""

from __future__ import annotations

from typing import NamedTuple

from agent.kb.models import Control, Requirement
from agent.state import RequirementJudgment, Status

GAP_ASPECTS = frozenset({"exists", "practice"})

# Why an exists/practice requirement failed -> the rule id shown with the score.
_GAP_RULES = {
    "intent_only": "intent-only",
    "policy_contradicted": "practice-contradicts-policy",
    "bad_practice": "practice-contradicts-policy",
    "scheduled_not_done": "scheduled-not-done",
    "untracked": "findings-untracked",
    "not_a_test": "not-a-test",
    "negated": "absent",
}
_GAP_WORDS = {
    "intent-only": "is only intended, not in place",
    "practice-contradicts-policy": "is contradicted by what is practised",
    "scheduled-not-done": "is scheduled but has not actually been done",
    "findings-untracked": "produces findings nobody tracks to closure",
    "not-a-test": "was reviewed, which is not a test",
    "absent": "is not in place",
    "requirement-not-met": "is not met",
}
# Why a coverage/cadence/evidence requirement fell short -> rule id.
_PARTIAL_RULES = {
    "coverage_exception": "coverage-exception",
    "threshold_miss": "threshold-missed",
    "evidence_missing": "evidence-missing",
}
_PARTIAL_BY_ASPECT = {
    "coverage": "coverage-exception",
    "cadence": "threshold-missed",
    "evidence": "evidence-missing",
}
_PARTIAL_WORDS = {
    "coverage-exception": "does not cover everything in scope",
    "threshold-missed": "falls short of the required window or threshold",
    "evidence-missing": "has no evidence an auditor would accept",
    "partly-met": "is only partly met",
}
_FACE_VALUE_REASONS = frozenset({"affirmed", "hedged", "implied"})


class ScoreResult(NamedTuple):
    status: Status
    rule: str
    rationale: str


def merge_judgments(
    old: list[RequirementJudgment], new: list[RequirementJudgment]
) -> list[RequirementJudgment]:
    """Later verdicts win per requirement, except that a later `unknown` never erases what is known."""
    merged: dict[str, RequirementJudgment] = {j.requirement_id: j for j in old}
    for judgment in new:
        previous = merged.get(judgment.requirement_id)
        if judgment.verdict == "unknown" and previous is not None and previous.verdict != "unknown":
            continue
        merged[judgment.requirement_id] = judgment
    return list(merged.values())


def unresolved_requirements(control: Control, judgments: list[RequirementJudgment]) -> list[Requirement]:
    """Requirements a follow-up should ask about: existence not yet established, or must-confirm unknown."""
    verdicts = _verdicts(control, judgments)
    if _any_gap(control, verdicts):
        return []
    known = {rid for rid, j in verdicts.items() if j.verdict != "unknown"}
    existence_known = any(r.id in known for r in control.requirements if r.aspect in GAP_ASPECTS)
    # Windows and thresholds (retention, cadence, SLA) are what answers most often leave out and what
    # most often turns a claim into a partial, so they are worth one more question too.
    return [
        r
        for r in control.requirements
        if r.id not in known
        and (r.must_confirm or r.threshold is not None or (r.aspect in GAP_ASPECTS and not existence_known))
    ]


def score_control(
    control: Control, judgments: list[RequirementJudgment], not_applicable_reason: str | None
) -> ScoreResult:
    if not_applicable_reason and not_applicable_reason.strip():
        return ScoreResult(
            "not_applicable",
            "not-applicable-justified",
            f"{control.title} does not apply: {not_applicable_reason.strip().rstrip('.')}.",
        )
    verdicts = _verdicts(control, judgments)
    requirements = {r.id: r for r in control.requirements}

    failed = [
        (requirements[rid], j)
        for rid, j in verdicts.items()
        if j.verdict == "not_met" and requirements[rid].aspect in GAP_ASPECTS
    ]
    if failed:
        req, judgment = failed[0]
        rule = _GAP_RULES.get(judgment.reason, "requirement-not-met")
        return ScoreResult("gap", rule, f"'{_short(req)}' {_GAP_WORDS[rule]}.")

    if all(j.verdict == "unknown" for j in verdicts.values()):
        unsure = any(j.reason in ("user_unsure", "unsure") for j in judgments)
        rule = "user-unsure" if unsure else "no-usable-answer"
        why = "the user was not sure" if unsure else "the answers said nothing usable about it"
        return ScoreResult("unknown", rule, f"{control.title} could not be scored: {why}.")

    short = [
        (requirements[rid], j)
        for rid, j in verdicts.items()
        if j.verdict == "partly_met"
        or (j.verdict == "not_met" and requirements[rid].aspect not in GAP_ASPECTS)
    ]
    if short:
        rule = _partial_rule(*short[0])
        names = "; ".join(f"'{_short(r)}'" for r, _ in short[:3])
        return ScoreResult("partial", rule, f"It operates, but {names} {_PARTIAL_WORDS[rule]}.")

    unconfirmed = [
        r for r in control.requirements if r.must_confirm and _verdict_of(verdicts, r.id) == "unknown"
    ]
    if unconfirmed:
        names = "; ".join(f"'{_short(r)}'" for r in unconfirmed[:3])
        return ScoreResult(
            "partial",
            "evidence-unconfirmed",
            f"Claimed in place, but {names} was never confirmed after follow-ups.",
        )

    explicit = [j for j in verdicts.values() if j.verdict == "met" and j.reason not in _FACE_VALUE_REASONS]
    all_known = all(_verdict_of(verdicts, r.id) == "met" for r in control.requirements)
    if all_known and explicit:
        return ScoreResult(
            "implemented", "all-requirements-met", f"Every requirement of {control.title} is met."
        )
    met_names = "; ".join(
        f"'{_short(requirements[rid])}'" for rid, j in verdicts.items() if j.verdict == "met"
    )
    return ScoreResult("implemented", "face-value-claim", f"Taken at face value: {met_names or 'the claim'}.")


def _verdicts(control: Control, judgments: list[RequirementJudgment]) -> dict[str, RequirementJudgment]:
    """One judgment per known requirement, later ones winning, in the control's requirement order."""
    merged = {j.requirement_id: j for j in merge_judgments([], judgments)}
    return {r.id: merged[r.id] for r in control.requirements if r.id in merged}


def _verdict_of(verdicts: dict[str, RequirementJudgment], requirement_id: str) -> str:
    judgment = verdicts.get(requirement_id)
    return judgment.verdict if judgment else "unknown"


def _any_gap(control: Control, verdicts: dict[str, RequirementJudgment]) -> bool:
    aspects = {r.id: r.aspect for r in control.requirements}
    return any(j.verdict == "not_met" and aspects[rid] in GAP_ASPECTS for rid, j in verdicts.items())


def _partial_rule(requirement: Requirement, judgment: RequirementJudgment) -> str:
    if judgment.reason in _PARTIAL_RULES:
        return _PARTIAL_RULES[judgment.reason]
    return _PARTIAL_BY_ASPECT.get(requirement.aspect, "partly-met")


def _short(requirement: Requirement) -> str:
    return requirement.text.rstrip(".")
