"""`soc2-gap eval retrieval`: recall@5 and MRR of the retriever over labelled user queries."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from agent.kb import load_knowledge
from agent.retrieval import build_retriever
from agent.settings import get_settings
from evals.retrieval.runner import (
    DEFAULT_QUERIES,
    DEFAULT_THRESHOLDS,
    RetrievalScore,
    evaluate,
    failures,
    load_queries,
    load_thresholds,
    unknown_labels,
)


def register(eval_app: typer.Typer) -> None:
    eval_app.command("retrieval")(retrieval)


def retrieval(
    queries: Path = typer.Option(
        DEFAULT_QUERIES, "--queries", exists=True, dir_okay=False, help="Labelled queries"
    ),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the figures and misses as JSON"),
    thresholds: Path = typer.Option(DEFAULT_THRESHOLDS, "--thresholds", exists=True, dir_okay=False),
    ablation: bool = typer.Option(
        True, help="Also score vector search alone, to show what exact matching adds"
    ),
) -> None:
    """Scores retrieval against labelled queries; exits 1 under the thresholds in evals/thresholds.yaml."""
    console = Console()
    settings = get_settings()
    kb = load_knowledge()
    labelled = load_queries(queries)
    bad = unknown_labels(labelled, set(kb.control_by_id))
    if bad:
        console.print(f"[red]labels name controls that do not exist: {', '.join(bad)}[/red]")
        raise typer.Exit(2)
    hybrid = build_retriever(settings, kb)
    score = evaluate(hybrid, labelled)
    figures = {"hybrid": score.as_dict()}
    vector_score: RetrievalScore | None = None
    if ablation:
        vector_score = evaluate(build_retriever(settings, kb, hybrid=False), labelled)
        figures["vector_only"] = vector_score.as_dict()
    limits = load_thresholds(thresholds)
    problems = failures(score, limits)
    figures["thresholds"] = limits  # type: ignore[assignment]
    figures["passed"] = not problems  # type: ignore[assignment]

    _print(console, score, vector_score)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(figures, indent=2) + "\n")
    if problems:
        console.print(f"[red]FAIL: {'; '.join(problems)}[/red]")
        raise typer.Exit(1)
    console.print("[green]PASS[/green]")


def _print(console: Console, score: RetrievalScore, vector: RetrievalScore | None) -> None:
    summary = Table(title=f"Retrieval over {len(score.results)} queries")
    summary.add_column("mode")
    summary.add_column(f"recall@{score.k}", justify="right")
    summary.add_column("MRR", justify="right")
    summary.add_row("hybrid (vector + ids + jargon + BM25)", f"{score.recall_at_k:.3f}", f"{score.mrr:.3f}")
    if vector:
        summary.add_row("vector only", f"{vector.recall_at_k:.3f}", f"{vector.mrr:.3f}")
    console.print(summary)
    if not score.misses:
        return
    misses = Table(title=f"Misses ({len(score.misses)})", show_lines=True)
    misses.add_column("query")
    misses.add_column("missed")
    misses.add_column("first hit rank", justify="right")
    misses.add_column(f"top {score.k}")
    for r in score.misses:
        misses.add_row(r.query, ", ".join(r.missed), str(r.first_rank or "-"), ", ".join(r.retrieved))
    console.print(misses)
