"""`soc2-gap eval scoring`: plays fixtures against the agent and scores its statuses against the labels."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from agent.settings import Settings, get_settings

DEFAULT_FIXTURES = Path(__file__).resolve().parents[2] / "evals" / "fixtures"


def register(eval_app: typer.Typer) -> None:
    """Adds this module's commands."""
    eval_app.command("scoring")(scoring)


def scoring(
    fixtures: Path = typer.Option(
        DEFAULT_FIXTURES, "--fixtures", exists=True, file_okay=False, help="Folder of fixture YAML files"
    ),
    json_out: Path | None = typer.Option(None, "--json", help="Also write every figure and mismatch as JSON"),
    llm: str = typer.Option("offline", "--llm", help="offline (deterministic) or anthropic (Claude)"),
    only: list[str] = typer.Option([], "--only", help="Run only these fixture ids (repeatable)"),
    today: str | None = typer.Option(None, "--today", help="The date the agent believes it is (YYYY-MM-DD)"),
) -> None:
    """Scores the agent against fixtures; exits 1 under the `scoring:` gates in evals/thresholds.yaml."""
    if llm not in ("offline", "anthropic"):
        raise typer.BadParameter("--llm must be offline or anthropic")
    # Imported here so that `soc2-gap --help` stays fast.
    from agent.kb import load_knowledge
    from evals.scoring.runner import default_engine_factory, load_fixtures, run_fixture, shared_retriever
    from evals.scoring.summary import gates, load_thresholds, overall, token_cost

    console = Console()
    settings: Settings = get_settings().model_copy(update={"llm": llm})
    kb = load_knowledge()
    run_date = date.fromisoformat(today) if today else date.today()
    chosen = [f for f in load_fixtures(fixtures) if not only or f.id in only]
    unknown_ids = sorted(
        {cid for f in chosen for cid in [*f.expected, *f.answers] if cid not in kb.control_by_id}
    )
    if unknown_ids:
        console.print(f"[red]fixtures name controls the knowledge base lacks: {', '.join(unknown_ids)}[/red]")
        raise typer.Exit(2)

    make_engine = default_engine_factory(kb, run_date, shared_retriever(settings, kb))
    results = []
    for fixture in chosen:
        console.print(f"[dim]playing {fixture.id}...[/dim]")
        results.append(run_fixture(fixture, make_engine, kb, settings, run_date))

    figures = overall(results)
    figures["cost_usd"] = (
        token_cost(
            settings.model, figures["input_tokens"], figures["output_tokens"], figures["cached_tokens"]
        )
        if llm == "anthropic"
        else 0.0
    )
    checks = gates(figures, load_thresholds(llm))
    passed = all(c["passed"] for c in checks)
    _print(console, results, figures, checks)
    if json_out:
        payload = {
            "llm": llm,
            "model": settings.model if llm == "anthropic" else None,
            "settings": _settings_record(settings),
            "today": run_date.isoformat(),
            "fixtures_dir": str(fixtures),
            "overall": figures,
            "fixtures": [r.as_dict() for r in results],
            "gates": checks,
            "passed": passed,
        }
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        console.print(f"[dim]wrote {json_out}[/dim]")
    if not passed:
        raise typer.Exit(1)


def _settings_record(settings: Settings) -> dict[str, Any]:
    """The settings that shape a score, never a secret."""
    return {
        "llm": settings.llm,
        "model": settings.model,
        "anthropic_base_url": settings.anthropic_base_url,
        "llm_timeout_s": settings.llm_timeout_s,
        "llm_max_retries": settings.llm_max_retries,
        "max_followups": settings.max_followups,
        "observation_window_months": settings.observation_window_months,
        "embedding": settings.embedding,
    }


def _pct(value: float) -> str:
    return f"{value:.3f}"


def _issues(result: Any) -> list[str]:
    issues = []
    if result.error:
        issues.append(f"engine error: {result.error}")
    if not result.scope["ok"]:
        issues.append(f"scope {result.scope['got']} (expected {result.scope['expected']})")
    if result.priorities.get("available") is False:
        issues.append("roadmap not available")
    if result.priorities.get("missing"):
        issues.append(f"not in the roadmap's first 10: {', '.join(result.priorities['missing'])}")
    if result.unquoted:
        issues.append(f"no verbatim quote: {', '.join(u['control_id'] for u in result.unquoted)}")
    if result.injection.get("changed"):
        moved = ", ".join(c["control_id"] for c in result.injection["changed"])
        issues.append(f"injection moved: {moved}")
    return issues


def _row(name: str, d: dict[str, Any], with_model: bool) -> list[str]:
    usage = [str(d["model_calls"]), str(d["input_tokens"] + d["output_tokens"])] if with_model else []
    return [
        name,
        str(d["n"]),
        _pct(d["accuracy"]),
        _pct(d["macro_f1"]),
        _pct(d["kappa"]),
        str(d["questions"]),
        f"{d['settled_per_question']:.2f}" if d["settled_per_question"] is not None else "-",
        *usage,
        f"{d['wall_seconds']:.1f}",
    ]


def _print(
    console: Console, results: list[Any], figures: dict[str, Any], checks: list[dict[str, Any]]
) -> None:
    table = Table(title="Scoring eval")
    # Model usage is always zero offline: its columns appear only when a model was called.
    with_model = figures["model_calls"] > 0
    columns = ["n", "acc", "F1", "kappa", "asked", "set/q", *(["calls", "tokens"] if with_model else []), "s"]
    table.add_column("fixture", overflow="fold", min_width=20)
    for column in columns:
        # numbers never wrap; on a narrow terminal the fixture name folds instead
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    for r in results:
        table.add_row(*_row(r.fixture_id, r.as_dict(), with_model))
    table.add_section()
    table.add_row(*_row("[bold]overall[/bold]", figures, with_model))
    console.print(table)
    console.print(
        "[dim]F1 = macro-F1 over statuses; asked = questions; set/q = controls settled per question[/dim]"
    )
    for r in results:
        for issue in _issues(r):
            console.print(f"[yellow]{r.fixture_id}[/yellow]: {issue}")

    confusion = Table(title="Confusion (rows expected, columns agent)")
    labels = list(figures["confusion"])
    confusion.add_column("")
    for label in labels:
        confusion.add_column(label.replace("not_applicable", "n/a"), justify="right")
    for row in labels:
        confusion.add_row(row, *(str(figures["confusion"][row][col]) for col in labels))
    console.print(confusion)

    console.rule(f"Mismatches ({figures['mismatches']})")
    for r in results:
        for m in r.mismatches:
            console.print(
                f"[bold]{r.fixture_id}[/bold] {m['control_id']}: expected [green]{m['expected']}[/green], "
                f"got [red]{m['got']}[/red] ({m['rule']})"
            )
            console.print(f"    {m['rationale'][:240]}", markup=False, highlight=False)
            for quote in m["quotes"][:3]:
                console.print(f'    > "{quote[:200]}"', markup=False, highlight=False)

    gate_table = Table(title="Gates")
    for column in ("gate", "value", "limit", "result"):
        gate_table.add_column(column)
    for c in checks:
        value = _pct(c["value"]) if isinstance(c["value"], float) else str(c["value"])
        verdict = "[green]pass[/green]" if c["passed"] else "[red]FAIL[/red]"
        gate_table.add_row(c["gate"], value, f"{c['op']} {c['limit']:g}", verdict)
    console.print(gate_table)
