"""The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched."""

from __future__ import annotations

from html import escape

from agent.report.labels import (
    AUDIT_LABELS,
    FRAMEWORK_LABELS,
    SCOPE_LABELS,
    STATUS_LABELS,
    STATUS_ORDER,
    group_label,
)
from agent.report.models import Report
from agent.report.svg import (
    PHASE_COLORS,
    STATUS_COLORS,
    legend,
    readiness_ring,
    roadmap_timeline,
    status_bars,
)
from agent.roadmap.models import RoadmapItem

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f6f9;color:#1d2733;
font:14px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header{background:#1d2a3a;color:#fff;padding:28px 40px 24px}
header h1{margin:0 0 6px;font-size:24px;font-weight:650;letter-spacing:-.01em}
header .meta{display:flex;flex-wrap:wrap;gap:6px 22px;color:#c5d0dc;font-size:13px}
header .meta b{color:#fff;font-weight:600}
main{max-width:1180px;margin:0 auto;padding:24px 32px 48px}
section{background:#fff;border:1px solid #e2e6ec;border-radius:10px;padding:22px 26px;margin:0 0 20px}
h2{margin:0 0 14px;font-size:18px;font-weight:650}
h3{margin:18px 0 8px;font-size:15px;font-weight:650}
.overview{display:grid;grid-template-columns:150px 1fr;gap:26px;align-items:center}
.tiles{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;margin-bottom:14px}
.tile{border:1px solid #e2e6ec;border-radius:8px;padding:10px 12px;border-top:4px solid var(--c)}
.tile .n{font-size:22px;font-weight:700}.tile .l{font-size:12px;color:#5b6773}
.notes{margin:0;padding-left:18px;color:#3a4652}.notes li{margin:3px 0}
.notes li.warn{color:#9b2c24;font-weight:600}
.muted{color:#5b6773;font-size:12.5px}
table{width:100%;border-collapse:collapse;font-size:13px}
th{text-align:left;font-weight:600;color:#5b6773;font-size:12px;text-transform:uppercase;letter-spacing:.03em;
border-bottom:2px solid #e2e6ec;padding:8px 10px}
td{border-bottom:1px solid #eef1f4;padding:8px 10px;vertical-align:top}
tr:last-child td{border-bottom:0}
.pill{display:inline-block;padding:1px 9px;border-radius:10px;font-size:11.5px;font-weight:600;color:#fff;
white-space:nowrap;background:var(--c)}
.pill.not_applicable{color:#1d2733}
.cid{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;color:#3f5fa8;white-space:nowrap}
blockquote{margin:4px 0;padding:2px 10px;border-left:3px solid #cfd6df;color:#3a4652;font-style:italic}
.legend{display:inline-flex;align-items:center;gap:6px;margin-right:16px;font-size:12px;color:#3a4652}
.legends{margin:0 0 8px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px}
.item{border:1px solid #e2e6ec;border-left:5px solid var(--c);border-radius:8px;
padding:12px 16px;margin:10px 0}
.item h3{margin:0 0 4px}
.item .facts{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:12.5px;color:#5b6773;margin-bottom:6px}
.item .facts b{color:#1d2733;font-weight:600}
.item ol,.item ul{margin:4px 0 4px;padding-left:20px}
details summary{cursor:pointer;color:#3f5fa8;font-weight:600;font-size:13px;margin-top:6px}
.late{color:#9b2c24;font-weight:600}
.crosswalk th:nth-child(1){width:90px}.crosswalk th:nth-child(3){width:120px}
.crosswalk th:nth-child(4){width:34%}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:20px}
@media (max-width:900px){.grid2,.overview{grid-template-columns:1fr}
.tiles{grid-template-columns:repeat(2,1fr)}}
@media print{body{background:#fff}section{break-inside:avoid;border:0}}
"""


def _pill(status: str) -> str:
    return (
        f'<span class="pill {status}" style="--c:{STATUS_COLORS.get(status, "#777")}">'
        f"{escape(STATUS_LABELS.get(status, status))}</span>"
    )


def _header(report: Report) -> str:
    t = report.timeline
    name = escape(str(report.organization.get("company_name") or "Unnamed organization"))
    facts = [
        ("Audit", AUDIT_LABELS[t.audit_type] + (" (assumed)" if t.audit_type_assumed else "")),
        ("Target date", t.target_audit_date.isoformat() if t.target_audit_date else "not set"),
        ("Scope", ", ".join(SCOPE_LABELS.get(s, s) for s in report.scope)),
        ("Generated", report.generated_on.isoformat()),
        ("Assessment", f"{report.assessment_id} ({report.assessment_status.replace('_', ' ')})"),
    ]
    meta = "".join(f"<span>{escape(k)}: <b>{escape(v)}</b></span>" for k, v in facts)
    return f'<header><h1>SOC 2 gap analysis: {name}</h1><div class="meta">{meta}</div></header>'


def _overview(report: Report) -> str:
    s = report.summary
    tiles = "".join(
        f'<div class="tile" style="--c:{STATUS_COLORS[st]}"><div class="n">{s.by_status.get(st, 0)}</div>'
        f'<div class="l">{STATUS_LABELS[st]}</div></div>'
        for st in STATUS_ORDER
    )
    # The first note is the verdict on the target date: it stands out when the date does not hold.
    warn = "" if report.timeline.realistic else ' class="warn"'
    notes = "".join(
        f"<li{warn if i == 0 else ''}>{escape(n)}</li>" for i, n in enumerate(report.timeline.notes)
    )
    progress = (
        f'<p class="muted">Scored so far: {s.assessed} of {s.in_scope_controls} in-scope controls.</p>'
        if s.not_yet_assessed
        else ""
    )
    return (
        '<section id="readiness"><h2>Readiness</h2><div class="overview">'
        f'<div>{readiness_ring(s.readiness)}</div><div><div class="tiles">{tiles}</div>{progress}'
        f'<ul class="notes">{notes}</ul><p class="muted">{escape(s.readiness_definition)}</p>'
        "</div></div></section>"
    )


def _domains(report: Report) -> str:
    return (
        '<section id="domains"><h2>Status by domain</h2>'
        f'<div class="legends">{legend({s: STATUS_COLORS[s] for s in STATUS_ORDER}, STATUS_LABELS)}</div>'
        f"{status_bars(report.summary.by_group)}</section>"
    )


def _item(item: RoadmapItem) -> str:
    controls = ", ".join(
        f'<span class="cid">{escape(cid)}</span> {_pill(item.statuses.get(cid, "unknown"))}'
        for cid in item.control_ids
    )
    late = item.latest_due is not None and item.due > item.latest_due
    latest = (
        f'<span class="{"late" if late else ""}">latest <b>{item.latest_due.isoformat()}</b></span>'
        if item.latest_due
        else ""
    )
    after = (
        f"<span>after <b>{', '.join(f'#{r}' for r in item.depends_on_ranks)}</b></span>"
        if item.depends_on_ranks
        else ""
    )
    steps = "".join(f"<li>{escape(step)}</li>" for step in item.steps)
    evidence = "".join(f"<li>{escape(e)}</li>" for e in item.evidence_to_collect)
    return (
        f'<div class="item" style="--c:{PHASE_COLORS.get(item.phase, "#3f5fa8")}">'
        f"<h3>{item.rank}. {escape(item.title)}</h3>"
        f'<div class="facts"><span><b>{escape(item.phase)}</b></span>'
        f"<span>owner <b>{escape(item.owner)}</b></span>"
        f"<span><b>{item.effort_days}</b> day(s)</span>"
        f"<span><b>{item.start.isoformat()}</b> to <b>{item.due.isoformat()}</b></span>{latest}{after}</div>"
        + (f"<div>{controls}</div>" if controls else "")
        + f"<p>{escape(item.why)}</p>"
        f"<details><summary>Steps ({len(item.steps)}) and evidence "
        f"({len(item.evidence_to_collect)})</summary>"
        f"<h3>Steps</h3><ol>{steps}</ol><h3>Evidence to collect</h3><ul>{evidence}</ul></details></div>"
    )


def _roadmap(report: Report) -> str:
    items = "".join(_item(i) for i in report.roadmap)
    return (
        '<section id="roadmap"><h2>Remediation roadmap</h2>'
        f'<div class="legends">{legend(PHASE_COLORS)}</div>'
        f"{roadmap_timeline(report.roadmap, report.timeline)}{items}</section>"
    )


def _findings(report: Report) -> str:
    rows = []
    for f in report.findings:
        quotes = "".join(f"<blockquote>{escape(q)}</blockquote>" for q in f.evidence_quotes)
        na = (
            f"<p><b>Why not applicable:</b> {escape(f.not_applicable_reason)}</p>"
            if f.not_applicable_reason
            else ""
        )
        rows.append(
            f'<tr><td><span class="cid">{escape(f.control_id)}</span><br>{escape(f.title)}'
            f'<div class="muted">{escape(group_label(f.group))}</div></td><td>{_pill(f.status)}</td>'
            f"<td>{escape(f.rationale)}{na}</td><td>{quotes or '<span class=muted>-</span>'}</td></tr>"
        )
    return (
        '<section id="findings"><h2>Findings</h2><table class="findings"><thead><tr><th>Control</th>'
        "<th>Status</th><th>Rationale</th><th>In your words</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _crosswalk(report: Report) -> str:
    tables = []
    for framework, entries in report.crosswalk_detail.items():
        rows = "".join(
            f'<tr><td class="cid">{escape(e.id)}</td><td>{escape(e.title)}</td><td>{_pill(e.status)}</td>'
            f"<td>{', '.join(f'<span class=cid>{escape(c)}</span>' for c in e.controls)}</td></tr>"
            for e in entries
        )
        body = rows or '<tr><td colspan="4" class="muted">No assessed control maps here yet.</td></tr>'
        tables.append(
            f"<div><h3>{escape(FRAMEWORK_LABELS.get(framework, framework))}</h3>"
            f'<table class="crosswalk {framework}"><thead><tr><th>Id</th><th>Title</th><th>Status</th>'
            f"<th>SOC 2</th></tr></thead><tbody>{body}</tbody></table></div>"
        )
    return (
        '<section id="crosswalk"><h2>Crosswalk</h2>'
        f'<p class="muted">{escape(report.crosswalk_definition)}</p>'
        f"{''.join(tables)}"
        "</section>"
    )


def _lists(report: Report) -> str:
    parts = []
    if report.to_verify:
        titles = {f.control_id: f.title for f in report.findings}
        items = "".join(
            f'<li><span class="cid">{escape(c)}</span> {escape(titles.get(c, ""))}</li>'
            for c in report.to_verify
        )
        parts.append(f"<div><h3>To verify</h3><ul>{items}</ul></div>")
    if report.not_applicable:
        items = "".join(
            f'<li><span class="cid">{escape(n.control_id)}</span> {escape(n.title)}: '
            f"<i>{escape(n.justification)}</i></li>"
            for n in report.not_applicable
        )
        parts.append(f"<div><h3>Not applicable</h3><ul>{items}</ul></div>")
    if not parts:
        return ""
    return (
        '<section id="lists"><h2>Open questions and exclusions</h2>'
        f'<div class="grid2">{"".join(parts)}</div></section>'
    )


def render_html(report: Report) -> str:
    title = escape(f"SOC 2 gap analysis: {report.organization.get('company_name') or report.assessment_id}")
    body = (
        _header(report)
        + "<main>"
        + _overview(report)
        + _domains(report)
        + _roadmap(report)
        + _lists(report)
        + _findings(report)
        + _crosswalk(report)
        + "</main>"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )
