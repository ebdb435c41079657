"""Reports of an assessment: JSON (interfaces.md), Markdown for tickets, one self-contained HTML file."""

from agent.report.build import build_report, readiness
from agent.report.html import render_html
from agent.report.markdown import render_markdown
from agent.report.models import Report
from agent.report.write import render_json, write_reports

__all__ = [
    "Report",
    "build_report",
    "readiness",
    "render_html",
    "render_json",
    "render_markdown",
    "write_reports",
]
