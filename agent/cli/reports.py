"""`soc2-gap report` and `soc2-gap compare`: reports of stored assessments and progress between two."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import typer

from agent.cli.output import emit, write_file
from agent.kb import KnowledgeBase


class Format(StrEnum):
    md = "md"
    json = "json"
    html = "html"


def _as_of(view: Any, fallback: date) -> date:
    """The day an assessment was last worked on, so an old run's roadmap keeps its own dates."""
    for name in ("updated_at", "completed_at", "created_at", "started_at"):
        value = getattr(view, name, None) or (view.get(name) if isinstance(view, dict) else None)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value).date()
            except ValueError:
                continue
    return fallback


def _load_report(ref: str, today: date, engine: Any | None) -> Any:
    """A stored assessment by id, or a report.json written earlier (so runs can be kept as files)."""
    from agent.report import Report, build_report
    from agent.settings import get_settings

    path = Path(ref)
    if path.suffix == ".json" and path.is_file():
        return Report.model_validate(json.loads(path.read_text(encoding="utf-8")))
    if engine is None:
        raise typer.BadParameter(f"{ref} is neither a report.json file nor reachable without an engine")
    try:
        view = engine.get_state(ref)
    except KeyError:
        typer.echo(f"error: no assessment with id {ref}", err=True)
        raise typer.Exit(1) from None
    deps = getattr(engine, "deps", None)
    kb = getattr(deps, "kb", None) or _kb()
    return build_report(view, kb, get_settings(), _as_of(view, today))


def _engine() -> Any:
    from agent.settings import get_settings

    try:
        from agent.runtime import build_engine  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        typer.echo(f"error: the assessment engine is not available ({exc})", err=True)
        raise typer.Exit(2) from None
    return build_engine(get_settings())


@lru_cache(maxsize=1)
def _kb() -> KnowledgeBase:
    from agent.kb import load_knowledge

    return load_knowledge()


def report_command(
    assessment_id: str = typer.Argument(..., help="Assessment id (or a report.json file)."),
    fmt: Format = typer.Option(Format.md, "--format", "-f", help="md, json or html."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
) -> None:
    """The report of a stored assessment: findings, dated roadmap, ISO 27001 / NIST CSF crosswalk."""
    from agent.report import render_html, render_json, render_markdown

    today = date.today()
    needs_engine = not (assessment_id.endswith(".json") and Path(assessment_id).is_file())
    # A report read back from JSON keeps its own dates; one built now is as of the assessment's last turn.
    report = _load_report(assessment_id, today, _engine() if needs_engine else None)
    text = {"md": render_markdown, "json": render_json, "html": render_html}[fmt.value](report)
    emit(text, out)


def compare_command(
    old_id: str = typer.Argument(..., help="The earlier assessment id (or its report.json)."),
    new_id: str = typer.Argument(..., help="The later assessment id (or its report.json)."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the comparison as JSON here."),
) -> None:
    """Progress between two assessments: improved, regressed, still open, late items, target date."""
    from agent.compare import compare, render_comparison_json, render_comparison_markdown

    today = date.today()
    refs = (old_id, new_id)
    needs_engine = any(not (r.endswith(".json") and Path(r).is_file()) for r in refs)
    engine = _engine() if needs_engine else None
    old, new = (_load_report(r, today, engine) for r in refs)
    # Lateness is judged as of now, or as of the newer run if it is dated later (a replayed fixture).
    comparison = compare(old, new, max(today, new.generated_on))
    typer.echo(render_comparison_markdown(comparison), nl=False)
    if json_out is not None:
        write_file(render_comparison_json(comparison), json_out)


def register(app: typer.Typer) -> None:
    """Adds `report` and `compare`."""
    app.command("report")(report_command)
    app.command("compare")(compare_command)
