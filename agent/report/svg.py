"""Inline SVG charts for the HTML report: status bars per domain, a readiness ring, a roadmap timeline.

Plain SVG strings, so the report stays one file that renders offline with no script and no fetches.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from html import escape

from agent.report.labels import STATUS_LABELS, STATUS_ORDER, group_label
from agent.roadmap.dates import add_months
from agent.roadmap.models import RoadmapItem, Timeline

STATUS_COLORS: dict[str, str] = {
    "implemented": "#2e7d4f",
    "partial": "#e0a526",
    "gap": "#c8413b",
    "unknown": "#7a6fa8",
    "not_applicable": "#b8c0c8",
}
PHASE_COLORS: dict[str, str] = {
    "Foundations": "#3f5fa8",
    "Close critical gaps": "#c8413b",
    "Close remaining gaps": "#e0a526",
    "Operate and collect evidence": "#2f8f83",
    "Pre-audit re-run": "#7a4fa0",
}
FONT = 'font-family="-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif"'


def readiness_ring(readiness: float, size: int = 132) -> str:
    radius = size / 2 - 10
    circumference = 2 * math.pi * radius
    filled = circumference * max(0.0, min(readiness, 1.0))
    color = STATUS_COLORS["implemented"] if readiness >= 0.8 else "#3f5fa8" if readiness >= 0.5 else "#c8413b"
    c = size / 2
    return (
        f'<svg class="ring" role="img" aria-label="Readiness {readiness:.0%}" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" {FONT}>'
        f'<circle cx="{c}" cy="{c}" r="{radius:.1f}" fill="none" stroke="#e6e9ee" stroke-width="12"/>'
        f'<circle cx="{c}" cy="{c}" r="{radius:.1f}" fill="none" stroke="{color}" stroke-width="12" '
        f'stroke-linecap="round" stroke-dasharray="{filled:.1f} {circumference:.1f}" '
        f'transform="rotate(-90 {c} {c})"/>'
        f'<text x="{c}" y="{c + 2}" text-anchor="middle" font-size="28" font-weight="700" fill="#1d2733">'
        f"{readiness:.0%}</text>"
        f'<text x="{c}" y="{c + 22}" text-anchor="middle" font-size="11" fill="#5b6773">ready</text></svg>'
    )


def status_bars(by_group: dict[str, dict[str, int]]) -> str:
    """Horizontal stacked bars, one per domain, bar length proportional to the number of controls."""
    label_w, bar_w, row_h, top = 250, 760, 30, 8
    widest = max((sum(c.values()) for c in by_group.values()), default=0) or 1
    height = top + row_h * len(by_group) + 4
    parts = [
        f'<svg class="chart status-chart" role="img" aria-label="Status of controls per domain" '
        f'width="100%" viewBox="0 0 {label_w + bar_w + 40} {height}" {FONT}>'
    ]
    for row, (group, counts) in enumerate(by_group.items()):
        y = top + row * row_h
        total = sum(counts.values())
        parts.append(
            f'<text x="{label_w - 12}" y="{y + 15}" text-anchor="end" font-size="13" fill="#1d2733">'
            f"{escape(group_label(group))}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="18" rx="3" fill="#f1f3f6"/>')
        x: float = label_w
        for status in STATUS_ORDER:
            count = counts.get(status, 0)
            if not count:
                continue
            width = bar_w * count / widest
            parts.append(
                f'<rect class="bar" data-group="{escape(group)}" data-status="{status}" '
                f'x="{x:.1f}" y="{y + 2}" '
                f'width="{width:.1f}" height="18" fill="{STATUS_COLORS[status]}">'
                f"<title>{escape(group)}: {count} {STATUS_LABELS[status].lower()}</title></rect>"
            )
            if width >= 16:
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 15}" text-anchor="middle" font-size="11" '
                    f'font-weight="600" fill="#fff">{count}</text>'
                )
            x += width
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="12" fill="#5b6773">{total}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _month_starts(first: date, last: date) -> list[date]:
    day = date(first.year, first.month, 1)
    if day < first:
        day = add_months(day, 1)
    ticks = []
    while day <= last:
        ticks.append(day)
        day = add_months(day, 1)
    return ticks


def roadmap_timeline(items: list[RoadmapItem], timeline: Timeline) -> str:
    """A Gantt chart of the roadmap with today, the observation window, the re-run and the audit marked."""
    label_w, chart_w, row_h, top = 340, 660, 24, 44
    first = timeline.today
    last = max([timeline.planned_audit_date, *(i.due for i in items)]) + timedelta(days=3)
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return label_w + chart_w * (day - first).days / span

    height = top + row_h * len(items) + 16
    parts = [
        f'<svg class="chart timeline-chart" role="img" aria-label="Roadmap timeline" width="100%" '
        f'viewBox="0 0 {label_w + chart_w + 50} {height}" {FONT}>'
    ]
    if timeline.observation_window_start:
        x0, x1 = x_of(timeline.observation_window_start), x_of(timeline.planned_audit_date)
        parts.append(
            f'<rect x="{x0:.1f}" y="{top - 6}" width="{x1 - x0:.1f}" height="{height - top}" fill="#2f8f83" '
            f'opacity="0.08"/><text x="{x0 + 4:.1f}" y="{top - 10}" font-size="10.5" fill="#2f8f83">'
            "observation window</text>"
        )
    ticks = _month_starts(first, last)
    step = max(1, math.ceil(len(ticks) / 12))
    for n, tick in enumerate(ticks):
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" stroke="#e6e9ee"/>')
        if n % step == 0:
            parts.append(
                f'<text x="{x + 2:.1f}" y="14" font-size="10.5" fill="#5b6773">'
                f"{tick.strftime('%b %Y')}</text>"
            )
    for row, item in enumerate(items):
        y = top + row * row_h
        if row % 2 == 0:
            parts.append(
                f'<rect x="0" y="{y - 3}" width="{label_w + chart_w}" height="{row_h}" fill="#f7f9fb"/>'
            )
        label = f"{item.rank}. {item.title}"
        short = label if len(label) <= 52 else label[:51] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end" font-size="11" fill="#1d2733">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        x0 = x_of(item.start)
        width = max(x_of(item.due + timedelta(days=1)) - x0, 3.0)
        late = item.latest_due is not None and item.due > item.latest_due
        parts.append(
            f'<rect class="task" x="{x0:.1f}" y="{y + 2}" width="{width:.1f}" height="13" rx="3" '
            f'fill="{PHASE_COLORS.get(item.phase, "#3f5fa8")}"'
            + (' stroke="#1d2733" stroke-width="1.5"' if late else "")
            + f"><title>{escape(item.phase)}: {item.start.isoformat()} to "
            f"{item.due.isoformat()}</title></rect>"
        )
    for day, name, color in (
        (timeline.today, "today", "#1d2733"),
        (timeline.planned_audit_date, "audit", "#c8413b"),
    ):
        x = x_of(day)
        parts.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 8}" stroke="{color}" stroke-width="1.5" '
            f'stroke-dasharray="4 3"/><text x="{x + 3:.1f}" y="30" font-size="10.5" font-weight="600" '
            f'fill="{color}">{name}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(colors: dict[str, str], labels: dict[str, str] | None = None) -> str:
    names = labels or {}
    return "".join(
        f'<span class="legend"><i style="background:{color}"></i>{escape(names.get(key, key))}</span>'
        for key, color in colors.items()
    )
