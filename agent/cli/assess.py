"""`soc2-gap chat` (interactive, resumable) and `soc2-gap run` (a fixture file, non-interactively)."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from agent.settings import Settings, get_settings

if TYPE_CHECKING:
    from agent.engine import AssessmentView, Engine, Progress, TurnResult

QUIT_WORDS = {"quit", "exit", ":q", "bye"}


def _settings(llm: str | None) -> Settings:
    settings = get_settings()
    if llm:
        settings = settings.model_copy(update={"llm": llm})
    return settings


def _engine(settings: Settings) -> Engine:
    from agent.runtime import build_engine

    return build_engine(settings)


def _progress_line(progress: Progress) -> Table:
    table = Table.grid(padding=(0, 1))
    cells = [f"[bold]{progress.settled}/{progress.total}[/bold]"]
    for row in progress.domains:
        style = "green" if row.total and row.settled == row.total else ("yellow" if row.settled else "dim")
        cells.append(f"[{style}]{row.domain} {row.settled}/{row.total}[/{style}]")
    table.add_row(*cells)
    return table


def _show(console: Console, result: TurnResult) -> None:
    for message in result.messages:
        console.print(Panel(Markdown(message), border_style="cyan", padding=(0, 1)))
    console.print(_progress_line(result.progress))


def chat_command(
    resume: str | None = typer.Option(None, "--resume", "-r", help="Continue the assessment with this id."),
    llm: str | None = typer.Option(None, "--llm", help="offline or anthropic (default: from settings)."),
) -> None:
    """Interactive assessment in the terminal. Type 'quit' to stop; resume later with --resume ID."""
    console = Console()
    engine = _engine(_settings(llm))
    # The index (and its model) loads while the person reads the first questions, so a question asked
    # back later is answered at once instead of after a cold build.
    threading.Thread(target=engine.index_ready, name="index-warm-up", daemon=True).start()
    if resume:
        try:
            result = engine.resume(resume)
        except KeyError:
            console.print(f"[red]No assessment with id {resume}.[/red]")
            raise typer.Exit(1) from None
    else:
        result = engine.start()
    console.print(
        f"[dim]Assessment id: {result.assessment_id} (resume with --resume {result.assessment_id})[/dim]"
    )
    _show(console, result)
    while result.status != "complete":
        try:
            text = console.input("[bold green]you>[/bold green] ")
        except (EOFError, KeyboardInterrupt):
            text = "quit"
        if text.strip().lower() in QUIT_WORDS:
            console.print(f"[dim]Saved. Resume with: soc2-gap chat --resume {result.assessment_id}[/dim]")
            return
        result = engine.send(result.assessment_id, text)
        _show(console, result)
    console.print(f"[dim]Report: soc2-gap report {result.assessment_id} --format md[/dim]")


def write_outputs(view: AssessmentView, settings: Settings, out: Path, today: date) -> list[Path]:
    """findings.json always; report.json/.md/.html through the report package."""
    from agent.kb import load_knowledge
    from agent.report import build_report, write_reports

    out.mkdir(parents=True, exist_ok=True)
    findings = out / "findings.json"
    findings.write_text(
        json.dumps(view.model_dump(mode="json", exclude={"transcript"}), indent=2) + "\n", encoding="utf-8"
    )
    report = build_report(view, load_knowledge(), settings, today)
    written = write_reports(report, out)
    return [findings, *written.values()]


def run_command(
    answers: Path = typer.Option(
        ..., "--answers", exists=True, dir_okay=False, help="A fixture-format YAML file."
    ),
    out: Path = typer.Option(..., "--out", help="Directory for report.json, report.md, report.html."),
    llm: str | None = typer.Option(None, "--llm", help="offline or anthropic (default: from settings)."),
    assessment_id: str | None = typer.Option(None, "--id", help="Assessment id to use (default: a new one)."),
) -> None:
    """Plays a fixture file non-interactively (like the eval runner) and writes the reports."""
    from agent.simulate import load_fixture, play

    console = Console(stderr=True)
    settings = _settings(llm)
    engine = _engine(settings)
    fixture = load_fixture(answers)
    view = play(engine, fixture, assessment_id)
    paths = write_outputs(view, settings, out, view.updated_at or date.today())
    counts: dict[str, Any] = {}
    for finding in view.findings:
        counts[finding.status] = counts.get(finding.status, 0) + 1
    console.print(f"assessment {view.assessment_id}: {view.stats['questions']} questions, {counts}")
    for path in paths:
        console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Adds `chat` and `run`."""
    app.command("chat")(chat_command)
    app.command("run")(run_command)
