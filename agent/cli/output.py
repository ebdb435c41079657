"""Where a command's document goes: standard output, or a file (with a note on stderr)."""

from __future__ import annotations

from pathlib import Path

import typer


def write_file(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {path}", err=True)


def emit(text: str, path: Path | None) -> None:
    if path is None:
        typer.echo(text, nl=False)
    else:
        write_file(text, path)
