"""`soc2-gap kb export|search` and `soc2-gap index build`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from agent.cli.output import emit
from agent.kb import load_knowledge
from agent.retrieval import build_index, build_retriever
from agent.settings import get_settings


def register(kb_app: typer.Typer, index_app: typer.Typer) -> None:
    kb_app.command("export")(export)
    kb_app.command("search")(search)
    index_app.command("build")(build)


def export(
    json_out: Path | None = typer.Option(None, "--json", help="Write to this file instead of stdout"),
) -> None:
    """The whole knowledge base as JSON."""
    text = json.dumps(load_knowledge().export(), indent=2, ensure_ascii=False) + "\n"
    emit(text, json_out)


def search(
    text: str = typer.Argument(..., help="What to look for, in your own words, or an id (CC6.1, A.8.5)"),
    k: int = typer.Option(5, "-k", "--k", min=1, max=50, help="How many results"),
) -> None:
    """Ranked controls and criteria for TEXT."""
    retriever = build_retriever(get_settings(), load_knowledge())
    hits = retriever.search(text, k=k)
    table = Table(title=f"Top {k} for: {text}", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("id", no_wrap=True)
    table.add_column("kind")
    table.add_column("score", justify="right")
    table.add_column("title", ratio=3)
    table.add_column("why", ratio=2)
    for rank, hit in enumerate(hits, start=1):
        table.add_row(str(rank), hit.id, hit.kind, f"{hit.score:.3f}", hit.title, ", ".join(hit.reasons[:3]))
    Console().print(table)


def build() -> None:
    """Builds or refreshes the vector index; only chunks whose content changed are embedded again."""
    settings = get_settings()
    handle = build_index(settings, load_knowledge())
    s = handle.stats
    rebuilt = " (the old index was unreadable and was rebuilt)" if s.rebuilt else ""
    typer.echo(
        f"index {settings.chroma_dir} [{handle.embedding}]: added {s.added}, updated {s.updated}, "
        f"deleted {s.deleted}, unchanged {s.unchanged} in {s.seconds:.2f}s{rebuilt}"
    )
