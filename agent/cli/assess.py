"""Commands registered on the soc2-gap app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Adds this module's commands."""
