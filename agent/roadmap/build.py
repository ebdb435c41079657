"""Assemble the dated remediation roadmap from an assessment's findings."""

from __future__ import annotations

from datetime import date, timedelta

from agent.kb import KnowledgeBase
from agent.roadmap.dates import months_between, next_workday
from agent.roadmap.grouping import remediation_clusters
from agent.roadmap.items import DraftItem, remediation_item, verify_item
from agent.roadmap.models import PHASES, NotApplicable, Phase, Roadmap, RoadmapItem, Timeline
from agent.roadmap.ordering import dependency_edges, phase_of, priority_order
from agent.roadmap.schedule import (
    AuditDates,
    Slot,
    audit_dates,
    earliest_realistic_date,
    forward_schedule,
    latest_dues,
)
from agent.state import Finding, Profile

RERUN_EFFORT_DAYS = 2
AUDIT_LABELS = {"type1": "Type I", "type2": "Type II"}


def in_scope_findings(kb: KnowledgeBase, findings: list[Finding], scope: list[str]) -> dict[str, Finding]:
    return {
        f.control_id: f
        for f in findings
        if f.control_id in kb.control_by_id and kb.control(f.control_id).category in scope
    }


def _drafts(kb: KnowledgeBase, findings: dict[str, Finding], profile: Profile) -> list[DraftItem]:
    failing = [cid for cid, f in findings.items() if f.status in ("gap", "partial")]
    drafts = [
        remediation_item(kb, cluster, findings, profile) for cluster in remediation_clusters(kb, failing)
    ]
    order = {c.id: i for i, c in enumerate(kb.controls)}
    unknown = sorted((cid for cid, f in findings.items() if f.status == "unknown"), key=lambda c: order[c])
    drafts.extend(verify_item(kb, cid, findings) for cid in unknown)
    return drafts


def build_roadmap(
    kb: KnowledgeBase,
    findings: list[Finding],
    profile: Profile,
    scope: list[str],
    today: date,
    observation_window_months: int = 3,
) -> Roadmap:
    scoped = in_scope_findings(kb, findings, scope)
    drafts = _drafts(kb, scoped, profile)
    kb_order = {c.id: i for i, c in enumerate(kb.controls)}
    order, cycle_notes = priority_order(drafts, kb_order)
    deps = dependency_edges(drafts)
    depended_on = {j for targets in deps.values() for j in targets}
    efforts = [d.effort_days for d in drafts]
    owners = [d.owner for d in drafts]
    slots = forward_schedule(today, order, efforts, owners, deps)

    timing = kb.scoping.timing
    rerun_days = (int(timing.rerun_days_before[0]), int(timing.rerun_days_before[1]))
    audit_type = profile.audit_type or "type2"
    work_done = max((s.due for s in slots.values()), default=None)
    earliest = earliest_realistic_date(today, work_done, audit_type, observation_window_months, rerun_days)
    target = profile.target_audit_date
    realistic = target is not None and target >= earliest
    planned = target if (target is not None and realistic) else earliest
    plan = audit_dates(
        planned, audit_type, observation_window_months, rerun_days, timing.first_run_months_before
    )
    against = audit_dates(
        target or planned, audit_type, observation_window_months, rerun_days, timing.first_run_months_before
    )
    latest = latest_dues(against.deadline, order, efforts, deps)

    rank_of = {i: n + 1 for n, i in enumerate(order)}
    items: list[RoadmapItem] = []
    for i in order:
        draft = drafts[i]
        slot = slots[i]
        items.append(
            RoadmapItem(
                rank=rank_of[i],
                control_ids=draft.control_ids,
                title=draft.title,
                why=draft.why,
                steps=draft.steps,
                evidence_to_collect=draft.evidence,
                owner=draft.owner,
                effort_days=draft.effort_days,
                depends_on=[
                    cid for j in sorted(deps[i], key=rank_of.__getitem__) for cid in drafts[j].control_ids
                ],
                depends_on_ranks=sorted(rank_of[j] for j in deps[i]),
                phase=phase_of(draft, i in depended_on),
                start=slot.start,
                due=slot.due,
                kind="verify" if draft.kind == "verify" else "remediate",
                statuses=draft.statuses,
                common_gap=draft.common_gap,
                latest_due=latest[i],
                slack_days=(latest[i] - slot.due).days,
                operating_by=plan.window_start,
            )
        )
    rerun = _rerun_item(len(items) + 1, plan, today)
    items.append(rerun)

    timeline = Timeline(
        today=today,
        audit_type=audit_type,
        audit_type_assumed=profile.audit_type is None,
        target_audit_date=target,
        planned_audit_date=planned,
        observation_window_months=observation_window_months,
        observation_window_start=plan.window_start,
        remediation_deadline=against.deadline,
        work_complete_by=work_done or today,
        realistic=realistic,
        earliest_realistic_date=earliest,
        rerun_start=rerun.start,
        rerun_due=rerun.due,
        first_run_recommended_by=against.first_run_by,
        phases=_phases(items, plan, work_done or today),
        notes=_notes(
            today, target, realistic, earliest, work_done, against, plan, profile, observation_window_months
        )
        + [
            f"Re-run the gap analysis between {rerun.start.isoformat()} and {rerun.due.isoformat()} "
            "(60 to 30 days before the audit) and compare it with this one"
            " to see whether remediation is on track."
        ]
        + cycle_notes,
    )
    return Roadmap(
        items=items,
        timeline=timeline,
        to_verify=[cid for cid, f in scoped.items() if f.status == "unknown"],
        not_applicable=[
            NotApplicable(
                control_id=cid,
                title=kb.control(cid).title,
                justification=f.not_applicable_reason or f.rationale,
            )
            for cid, f in scoped.items()
            if f.status == "not_applicable"
        ],
    )


def _rerun_item(rank: int, plan: AuditDates, today: date) -> RoadmapItem:
    start = next_workday(max(plan.rerun_start, today))
    due = max(plan.rerun_due, start)
    return RoadmapItem(
        rank=rank,
        control_ids=[],
        title="Re-run the gap analysis before the audit",
        why=(
            "The guide asks for a second gap analysis 30 to 60 days before the audit: the difference "
            "between the two runs shows whether remediation is on track, while there is still time to fix "
            "what is not."
        ),
        steps=[
            "Run the assessment again (soc2-gap chat) with the people who own each area.",
            "Compare it with this run (soc2-gap compare OLD_ID NEW_ID); chase every late or regressed item.",
            "Check that each control's evidence for the audit period is filed where auditors can sample it.",
            "Confirm the audit date and fieldwork logistics with the audit firm.",
        ],
        evidence_to_collect=["The second assessment's report and the comparison with this one"],
        owner="Security owner",
        effort_days=RERUN_EFFORT_DAYS,
        phase="Pre-audit re-run",
        start=start,
        due=due,
        kind="rerun",
    )


def _phases(items: list[RoadmapItem], plan: AuditDates, work_done: date) -> list[Phase]:
    descriptions = {
        "Foundations": "Verify unknowns; set up what other fixes build on: policies, inventories, plans.",
        "Close critical gaps": "Fix the guide's ten most common first-audit findings, most frequent first.",
        "Close remaining gaps": "Build or extend the other controls in scope, quick wins first.",
        "Operate and collect evidence": (
            "The observation window: every control operates and leaves the evidence the auditor will sample."
            if plan.window_start
            else "Run the controls and file the evidence the auditor will sample."
        ),
        "Pre-audit re-run": "Second gap analysis 60 to 30 days before the audit, compared with this one.",
    }
    spans: dict[str, Slot] = {}
    for item in items:
        span = spans.get(item.phase)
        spans[item.phase] = (
            Slot(min(span.start, item.start), max(span.due, item.due)) if span else Slot(item.start, item.due)
        )
    operate_start = plan.window_start or next_workday(work_done + timedelta(days=1))
    operate_end = plan.planned_audit_date if plan.window_start else plan.rerun_start
    span = spans.get("Operate and collect evidence")
    spans["Operate and collect evidence"] = Slot(
        min(span.start, operate_start) if span else operate_start,
        max(span.due, operate_end) if span else operate_end,
    )
    return [
        Phase(
            name=name,
            start=spans[name].start,
            end=max(spans[name].due, spans[name].start),
            description=descriptions[name],
        )
        for name in PHASES
        if name in spans
    ]


def _notes(
    today: date,
    target: date | None,
    realistic: bool,
    earliest: date,
    work_done: date | None,
    against: AuditDates,
    plan: AuditDates,
    profile: Profile,
    window_months: int,
) -> list[str]:
    label = AUDIT_LABELS[against.audit_type]
    notes: list[str] = []
    if profile.audit_type is None:
        notes.append("No audit type was given; the plan assumes Type II, the report most customers ask for.")
    after_work = (
        f"the remediation below finishes around {work_done.isoformat()}"
        if work_done
        else "nothing needs fixing"
    )
    needs = (
        f"a Type II audit needs {window_months} months of operating evidence after that"
        if against.audit_type == "type2"
        else "a Type I audit needs the work done before the pre-audit re-run 60 days ahead"
    )
    if target is None:
        notes.append(
            f"No target audit date was given. The earliest realistic {label} audit date is "
            f"{earliest.isoformat()}."
        )
    elif target <= today:
        notes.append(
            f"The target audit date {target.isoformat()} has already passed. "
            f"The earliest realistic date is {earliest.isoformat()}."
        )
    elif not realistic:
        notes.append(
            f"The target audit date {target.isoformat()} is not realistic: {after_work}, and {needs}. "
            f"The earliest realistic date is {earliest.isoformat()}."
        )
    else:
        notes.append(
            f"The target audit date {target.isoformat()} holds: {after_work}, before the "
            f"{'start of the observation window' if against.window_start else 'pre-audit re-run'} "
            f"(deadline {against.deadline.isoformat()})."
        )
    if plan.window_start:
        notes.append(
            f"{label}: every control must be operating from {plan.window_start.isoformat()}, the first day "
            f"of the {window_months}-month observation window that ends with the audit on "
            f"{plan.planned_audit_date.isoformat()}."
        )
    if target is not None and target > today:
        ahead = months_between(today, target)
        if today > against.first_run_by:
            notes.append(
                f"The guide advises a first gap analysis at least 6 months before the audit; this one is "
                f"{ahead:.1f} months ahead, which leaves little room for remediation."
            )
        else:
            notes.append(
                f"This run is {ahead:.1f} months before the audit, in line with the guide's advice to start "
                "at least 6 months ahead."
            )
    return notes
