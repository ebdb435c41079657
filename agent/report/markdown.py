"""The report as Markdown, for a ticket, a wiki page or a pull request."""

from __future__ import annotations

from agent.report.labels import (
    AUDIT_LABELS,
    FRAMEWORK_LABELS,
    SCOPE_LABELS,
    STATUS_LABELS,
    STATUS_ORDER,
    group_label,
)
from agent.report.models import Report
from agent.roadmap.models import RoadmapItem


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _header(report: Report) -> list[str]:
    org = report.organization
    name = org.get("company_name") or "Unnamed organization"
    timeline = report.timeline
    target = timeline.target_audit_date.isoformat() if timeline.target_audit_date else "not set"
    lines = [
        f"# SOC 2 gap analysis: {name}",
        "",
        f"- Assessment: `{report.assessment_id}` ({report.assessment_status.replace('_', ' ')})",
        f"- Generated: {report.generated_on.isoformat()}",
        f"- Audit: {AUDIT_LABELS[timeline.audit_type]}"
        + (" (assumed)" if timeline.audit_type_assumed else "")
        + f", target date {target}",
        f"- Scope: {', '.join(SCOPE_LABELS.get(s, s) for s in report.scope)}",
    ]
    if report.summary.not_yet_assessed:
        lines.append(
            f"- Scored so far: {report.summary.assessed} of {report.summary.in_scope_controls} "
            "in-scope controls"
        )
    return lines


def _readiness(report: Report) -> list[str]:
    summary = report.summary
    lines = ["", "## Readiness", "", f"**{summary.readiness:.0%}** ready. {summary.readiness_definition}", ""]
    lines += ["| Status | Controls |", "| --- | ---: |"]
    lines += [f"| {STATUS_LABELS[s]} | {summary.by_status.get(s, 0)} |" for s in STATUS_ORDER]
    lines += ["", "### Timeline", ""]
    lines += [f"- {note}" for note in report.timeline.notes]
    lines += ["", "| Phase | From | To |", "| --- | --- | --- |"]
    lines += [f"| {p.name} | {p.start.isoformat()} | {p.end.isoformat()} |" for p in report.timeline.phases]
    return lines


def _by_group(report: Report) -> list[str]:
    lines = ["", "## Status by domain", ""]
    lines.append("| Domain | " + " | ".join(STATUS_LABELS[s] for s in STATUS_ORDER) + " |")
    lines.append("| --- |" + " ---: |" * len(STATUS_ORDER))
    for group, counts in report.summary.by_group.items():
        lines.append(
            f"| {group_label(group)} | " + " | ".join(str(counts.get(s, 0)) for s in STATUS_ORDER) + " |"
        )
    return lines


def _item(item: RoadmapItem) -> list[str]:
    lines = ["", f"### {item.rank}. {item.title}", ""]
    if item.control_ids:
        lines.append(
            "- Controls: " + ", ".join(f"{cid} ({item.statuses.get(cid, '-')})" for cid in item.control_ids)
        )
    schedule = f"{item.start.isoformat()} to {item.due.isoformat()}"
    if item.latest_due is not None:
        schedule += f" (latest {item.latest_due.isoformat()})"
    lines += [
        f"- Phase: {item.phase}. Owner: {item.owner}. Effort: {item.effort_days} day(s)",
        f"- Dates: {schedule}",
    ]
    if item.depends_on_ranks:
        lines.append(
            "- After: "
            + ", ".join(f"#{r}" for r in item.depends_on_ranks)
            + f" ({', '.join(item.depends_on)})"
        )
    lines += ["", f"**Why it matters.** {item.why}", "", "**Steps**", ""]
    lines += [f"{n}. {step}" for n, step in enumerate(item.steps, 1)]
    lines += ["", "**Evidence to collect**", ""]
    lines += [f"- [ ] {e}" for e in item.evidence_to_collect]
    return lines


def _roadmap(report: Report) -> list[str]:
    lines = ["", "## Remediation roadmap"]
    for item in report.roadmap:
        lines += _item(item)
    return lines


def _findings(report: Report) -> list[str]:
    lines = ["", "## Findings"]
    current = None
    for f in report.findings:
        if f.group != current:
            current = f.group
            lines += ["", f"### {group_label(f.group)}", ""]
            lines += ["| Control | Status | Rationale | In your words |", "| --- | --- | --- | --- |"]
        quotes = "; ".join(f'"{q}"' for q in f.evidence_quotes) or "-"
        rationale = f.rationale + (f" (n/a: {f.not_applicable_reason})" if f.not_applicable_reason else "")
        lines.append(
            f"| {f.control_id}: {cell(f.title)} | {STATUS_LABELS[f.status]} | {cell(rationale)} "
            f"| {cell(quotes)} |"
        )
    return lines


def _verify_and_na(report: Report) -> list[str]:
    lines: list[str] = []
    if report.to_verify:
        titles = {f.control_id: f.title for f in report.findings}
        lines += ["", "## To verify", ""]
        lines += [f"- {cid}: {titles.get(cid, '')}" for cid in report.to_verify]
    if report.not_applicable:
        lines += ["", "## Not applicable", ""]
        lines += [
            f"- {na.control_id}: {na.title}. Justification: {na.justification}"
            for na in report.not_applicable
        ]
    return lines


def _crosswalk(report: Report) -> list[str]:
    lines = ["", "## Crosswalk", "", report.crosswalk_definition]
    for framework, entries in report.crosswalk_detail.items():
        lines += ["", f"### {FRAMEWORK_LABELS.get(framework, framework)}", ""]
        if not entries:
            lines.append("No assessed control maps here yet.")
            continue
        lines += ["| Id | Title | Status | SOC 2 controls |", "| --- | --- | --- | --- |"]
        for e in entries:
            behind = ", ".join(f"{cid} ({status})" for cid, status in e.controls.items())
            lines.append(f"| {e.id} | {cell(e.title)} | {STATUS_LABELS[e.status]} | {behind} |")
    return lines


def render_markdown(report: Report) -> str:
    lines = (
        _header(report)
        + _readiness(report)
        + _by_group(report)
        + _roadmap(report)
        + _findings(report)
        + _verify_and_na(report)
        + _crosswalk(report)
    )
    # The user's words go into tickets and wikis that render inline HTML: keep them as text.
    return ("\n".join(lines) + "\n").replace("<", "&lt;").replace(">", "&gt;")
