"""The words of a roadmap item: why it matters, what to do on this stack, what to keep as evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from agent.kb import KnowledgeBase
from agent.kb.models import Control
from agent.state import Finding, Profile

STACK_FIELDS: tuple[str, ...] = ("cloud", "identity_provider", "email_suite", "code_host")
STACK_LABELS: dict[str, str] = {
    "aws": "AWS",
    "gcp": "Google Cloud",
    "azure": "Azure",
    "okta": "Okta",
    "google": "Google Workspace",
    "microsoft": "Microsoft 365 / Entra ID",
    "github": "GitHub",
    "gitlab": "GitLab",
}
STATUS_PHRASES: dict[str, str] = {
    "gap": "not in place",
    "partial": "in place but short of what an auditor accepts",
    "unknown": "not known yet",
}
# Severity order inside one common-gap rank: building something missing outranks extending it.
STATUS_ORDER: dict[str, int] = {"gap": 0, "partial": 1, "unknown": 2}
SHORTFALL_THAT_NEEDS_OPERATION = {"evidence", "cadence"}


@dataclass
class DraftItem:
    control_ids: list[str]
    kind: str
    title: str
    why: str
    steps: list[str]
    evidence: list[str]
    owner: str
    effort_days: int
    statuses: dict[str, str]
    common_gap: int | None
    depends_on: list[str] = field(default_factory=list)
    evidence_only: bool = False

    @property
    def severity(self) -> tuple[int, int]:
        worst = min(STATUS_ORDER.get(s, 3) for s in self.statuses.values())
        return (self.common_gap or 11, worst)


def unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        key = value.strip()
        if key and key.lower() not in seen:
            seen.add(key.lower())
            out.append(key)
    return out


def stack_keys(profile: Profile) -> list[tuple[str, str]]:
    """(stack value, label) pairs from intake, in cloud / IdP / email / code-host order, no repeats."""
    keys: list[tuple[str, str]] = []
    for field_name in STACK_FIELDS:
        value = getattr(profile, field_name, None)
        if isinstance(value, str) and value.strip():
            key = value.strip().lower()
            if key not in (k for k, _ in keys):
                keys.append((key, STACK_LABELS.get(key, value.strip())))
    return keys


def tailored_steps(control: Control, profile: Profile) -> list[str]:
    steps = list(control.remediation.steps)
    for key, label in stack_keys(profile):
        steps.extend(f"On {label}: {example}" for example in control.remediation.stack_examples.get(key, []))
    return steps


def why_it_matters(kb: KnowledgeBase, controls: list[Control], findings: dict[str, Finding]) -> str:
    parts: list[str] = []
    for control in controls:
        finding = findings[control.id]
        phrase = STATUS_PHRASES.get(finding.status, finding.status)
        parts.append(f"{control.title} ({control.id}) is {phrase}: {finding.rationale.rstrip('.')}.")
    ranks = sorted({c.common_gap for c in controls if c.common_gap})
    for rank in ranks:
        gap = kb.gap_by_rank.get(rank)
        if gap:
            parts.append(f"Common first-audit gap #{rank} ({gap.title}): {gap.why_flagged.rstrip('.')}.")
    criterion = next((kb.criterion_by_id.get(cid) for c in controls for cid in c.criteria), None)
    if criterion is not None:
        parts.append(
            f"Auditors testing {criterion.id} look for: {criterion.auditor_examines[0].rstrip('.')}."
        )
    return " ".join(parts)


def failing_aspects(control: Control, finding: Finding) -> set[str]:
    requirements = {r.id: r for r in control.requirements}
    aspects: set[str] = set()
    for judgment in finding.judgments:
        requirement = requirements.get(judgment.requirement_id)
        if requirement is None:
            continue
        if judgment.verdict in ("not_met", "partly_met") or (
            judgment.verdict == "unknown" and requirement.must_confirm
        ):
            aspects.add(requirement.aspect)
    return aspects


def remediation_item(
    kb: KnowledgeBase, control_ids: list[str], findings: dict[str, Finding], profile: Profile
) -> DraftItem:
    controls = sorted(
        (kb.control(cid) for cid in control_ids),
        key=lambda c: (c.common_gap or 11, STATUS_ORDER.get(findings[c.id].status, 3)),
    )
    lead = controls[0]
    evidence = [e for c in controls for e in c.evidence]
    for rank in sorted({c.common_gap for c in controls if c.common_gap}):
        gap = kb.gap_by_rank.get(rank)
        if gap:
            evidence.extend(gap.evidence_that_closes)
    members = {c.id for c in controls}
    depends_on = unique(d for c in controls for d in c.remediation.depends_on if d not in members)
    statuses: dict[str, str] = {c.id: findings[c.id].status for c in controls}
    verb = "Build" if "gap" in statuses.values() else "Extend"
    title = f"{verb}: {lead.title}"
    if len(controls) > 1:
        title += " + " + "; ".join(c.title for c in controls[1:])
    aspects = set().union(*(failing_aspects(c, findings[c.id]) for c in controls))
    return DraftItem(
        control_ids=[c.id for c in controls],
        kind="remediate",
        title=title,
        why=why_it_matters(kb, controls, findings),
        steps=unique(s for c in controls for s in tailored_steps(c, profile)),
        evidence=unique(evidence),
        owner=" + ".join(unique(c.remediation.owner for c in controls)),
        # One shared fix: the largest member's effort plus a day per extra control to evidence it.
        effort_days=max(c.remediation.effort_days for c in controls) + len(controls) - 1,
        statuses=statuses,
        common_gap=lead.common_gap,
        depends_on=depends_on,
        evidence_only=set(statuses.values()) == {"partial"}
        and bool(aspects)
        and aspects <= SHORTFALL_THAT_NEEDS_OPERATION,
    )


def verify_item(kb: KnowledgeBase, control_id: str, findings: dict[str, Finding]) -> DraftItem:
    control = kb.control(control_id)
    finding = findings[control_id]
    return DraftItem(
        control_ids=[control_id],
        kind="verify",
        title=f"Verify: {control.title}",
        why=(
            f"The assessment could not tell whether this is in place: {control.title} ({control_id}). "
            f"{finding.rationale.rstrip('.')}. An unknown is never counted as implemented, and an auditor "
            "will ask for the evidence below."
        ),
        steps=[
            f"Ask whoever runs it ({control.remediation.owner}): {control.question}",
            f"Then: {control.follow_up}",
            "Collect the evidence below if it exists; if it does not, treat the control as a gap and fix it.",
            "Record the answer in the assessment (soc2-gap chat --resume <id>) so the control is re-scored.",
        ],
        evidence=list(control.evidence),
        owner=control.remediation.owner,
        effort_days=1,
        statuses={control_id: finding.status},
        common_gap=control.common_gap,
    )
