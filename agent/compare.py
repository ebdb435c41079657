"""Progress between two assessments of one organization (the guide's first run, then the pre-audit re-run)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from agent.report.models import Report

# Same weights as readiness: a move between gap and unknown is a change, not progress.
PROGRESS_SCORE: dict[str, float] = {"implemented": 1.0, "partial": 0.5, "gap": 0.0, "unknown": 0.0}
CLOSED = {"implemented", "not_applicable"}


class StatusChange(BaseModel):
    control_id: str
    title: str
    old: str
    new: str


class LateItem(BaseModel):
    rank: int
    title: str
    control_ids: list[str]
    due: date
    days_late: int
    statuses_now: dict[str, str]


class Comparison(BaseModel):
    """`still_open`: controls in both runs that are not implemented or not applicable now."""

    old_assessment_id: str
    new_assessment_id: str
    organization: str
    compared_on: date
    old_readiness: float
    new_readiness: float
    improved: list[StatusChange] = Field(default_factory=list)
    regressed: list[StatusChange] = Field(default_factory=list)
    changed: list[StatusChange] = Field(default_factory=list)
    still_open: list[StatusChange] = Field(default_factory=list)
    newly_assessed: list[str] = Field(default_factory=list)
    no_longer_assessed: list[str] = Field(default_factory=list)
    late_items: list[LateItem] = Field(default_factory=list)
    target_audit_date: date | None
    target_holds: bool
    target_verdict: str


def _late_items(old: Report, new_status: dict[str, str], today: date) -> list[LateItem]:
    late = []
    for item in old.roadmap:
        if item.due >= today:
            continue
        if item.kind == "rerun":
            continue
        now = {cid: new_status.get(cid, "not assessed") for cid in item.control_ids}
        # A verify item is done once the control has any known status; a fix once it is closed.
        done = (
            all(s not in ("unknown", "not assessed") for s in now.values())
            if item.kind == "verify"
            else all(s in CLOSED for s in now.values())
        )
        if not done:
            late.append(
                LateItem(
                    rank=item.rank,
                    title=item.title,
                    control_ids=item.control_ids,
                    due=item.due,
                    days_late=(today - item.due).days,
                    statuses_now=now,
                )
            )
    return late


def _target_verdict(old: Report, new: Report, late: list[LateItem]) -> tuple[date | None, bool, str]:
    timeline = new.timeline
    target = timeline.target_audit_date
    if target is None:
        return (
            None,
            False,
            f"No target audit date is set; the earliest realistic date is "
            f"{timeline.earliest_realistic_date}.",
        )
    moved = old.timeline.target_audit_date not in (None, target)
    prefix = f"The target moved from {old.timeline.target_audit_date} to {target}. " if moved else ""
    if not timeline.realistic:
        return (
            target,
            False,
            f"{prefix}The target audit date {target} no longer holds: with the work still open, the earliest "
            f"realistic date is {timeline.earliest_realistic_date}.",
        )
    lateness = (
        f" {len(late)} roadmap item(s) of the earlier run are late, but there is still room." if late else ""
    )
    return target, True, f"{prefix}The target audit date {target} still holds.{lateness}"


def compare(old: Report, new: Report, today: date) -> Comparison:
    old_status = {f.control_id: f.status for f in old.findings}
    new_status = {f.control_id: f.status for f in new.findings}
    titles = {f.control_id: f.title for f in [*old.findings, *new.findings]}
    improved: list[StatusChange] = []
    regressed: list[StatusChange] = []
    changed: list[StatusChange] = []
    still_open: list[StatusChange] = []
    for cid in (c for c in new_status if c in old_status):
        change = StatusChange(control_id=cid, title=titles[cid], old=old_status[cid], new=new_status[cid])
        before, after = PROGRESS_SCORE.get(change.old), PROGRESS_SCORE.get(change.new)
        if change.new not in CLOSED:
            still_open.append(change)
        if change.old == change.new:
            continue
        if before is not None and after is not None and after != before:
            (improved if after > before else regressed).append(change)
        else:
            changed.append(change)
    late = _late_items(old, new_status, today)
    target, holds, verdict = _target_verdict(old, new, late)
    return Comparison(
        old_assessment_id=old.assessment_id,
        new_assessment_id=new.assessment_id,
        organization=str(new.organization.get("company_name") or old.organization.get("company_name") or ""),
        compared_on=today,
        old_readiness=old.summary.readiness,
        new_readiness=new.summary.readiness,
        improved=improved,
        regressed=regressed,
        changed=changed,
        still_open=still_open,
        newly_assessed=[c for c in new_status if c not in old_status],
        no_longer_assessed=[c for c in old_status if c not in new_status],
        late_items=late,
        target_audit_date=target,
        target_holds=holds,
        target_verdict=verdict,
    )


def render_comparison_json(comparison: Comparison) -> str:
    return comparison.model_dump_json(indent=2) + "\n"


def _changes(title: str, changes: list[StatusChange]) -> list[str]:
    if not changes:
        return []
    lines = ["", f"## {title} ({len(changes)})", "", "| Control | Before | Now |", "| --- | --- | --- |"]
    lines += [f"| {c.control_id}: {c.title} | {c.old} | {c.new} |" for c in changes]
    return lines


def render_comparison_markdown(comparison: Comparison) -> str:
    c = comparison
    delta = c.new_readiness - c.old_readiness
    lines = [
        f"# SOC 2 gap analysis progress: {c.organization or c.new_assessment_id}",
        "",
        f"- Runs: `{c.old_assessment_id}` then `{c.new_assessment_id}`, "
        f"compared on {c.compared_on.isoformat()}",
        f"- Readiness: {c.old_readiness:.0%} to {c.new_readiness:.0%} ({delta:+.0%})",
        f"- Target: {c.target_verdict}",
    ]
    lines += _changes("Improved", c.improved)
    lines += _changes("Regressed", c.regressed)
    lines += _changes("Changed without progress", c.changed)
    lines += _changes("Still open", c.still_open)
    if c.late_items:
        lines += [
            "",
            f"## Late roadmap items ({len(c.late_items)})",
            "",
            "| # | Item | Due | Days late | Now |",
        ]
        lines.append("| ---: | --- | --- | ---: | --- |")
        for item in c.late_items:
            now = ", ".join(f"{cid} {status}" for cid, status in item.statuses_now.items())
            lines.append(
                f"| {item.rank} | {item.title} | {item.due.isoformat()} | {item.days_late} | {now} |"
            )
    if c.newly_assessed:
        lines += ["", "## Newly assessed", "", ", ".join(c.newly_assessed)]
    if c.no_longer_assessed:
        lines += ["", "## Assessed before, not in the new run", "", ", ".join(c.no_longer_assessed)]
    return "\n".join(lines) + "\n"
