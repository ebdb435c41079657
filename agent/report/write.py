"""Write the three renderings of a report side by side."""

from __future__ import annotations

from pathlib import Path

from agent.report.html import render_html
from agent.report.markdown import render_markdown
from agent.report.models import Report


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def write_reports(report: Report, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "report.json",
        "md": out_dir / "report.md",
        "html": out_dir / "report.html",
    }
    paths["json"].write_text(render_json(report), encoding="utf-8")
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    paths["html"].write_text(render_html(report), encoding="utf-8")
    return paths
