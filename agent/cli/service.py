"""`soc2-gap serve` and `soc2-gap keys create`."""

from __future__ import annotations

from typing import Annotated

import typer

from agent.settings import Settings


def register(app: typer.Typer, keys_app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str | None, typer.Option(help="Interface to bind (default from settings).")] = None,
        port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
        workers: Annotated[int, typer.Option(help="Worker processes; more than 1 needs DATABASE_URL.")] = 1,
        bootstrap: Annotated[
            bool, typer.Option(help="Create the local default tenant and demo widget key.")
        ] = False,
    ) -> None:
        """Run the HTTP server: API, web widget and Slack endpoint."""
        import os

        import uvicorn

        settings = Settings()
        if workers > 1 and not settings.database_url:
            raise typer.BadParameter(
                "several workers share state through Postgres: set DATABASE_URL", param_hint="--workers"
            )
        if bootstrap:
            os.environ["SOC2GAP_BOOTSTRAP"] = "1"
        bind_host = host or settings.host
        bind_port = port or settings.port
        typer.echo(f"SOC 2 gap agent on http://{bind_host}:{bind_port}  (API docs at /docs)")
        uvicorn.run(
            "server.main:app",
            host=bind_host,
            port=bind_port,
            workers=workers,
            log_level="warning",
            timeout_graceful_shutdown=30,
        )

    @keys_app.command("create")
    def create_key(
        tenant: Annotated[str, typer.Option(help="Tenant that owns the key and its assessments.")],
        publishable: Annotated[
            bool, typer.Option(help="A browser (widget) key limited to --origin, instead of a secret key.")
        ] = False,
        origin: Annotated[
            list[str] | None, typer.Option(help="Allowed origin for a publishable key.")
        ] = None,
    ) -> None:
        """Print a new API key for TENANT. Only its hash is stored: copy it now."""
        from server.store import build_store

        if publishable and not origin:
            raise typer.BadParameter("a publishable key needs at least one --origin", param_hint="--origin")
        store = build_store(Settings())
        key = store.create_key(tenant, "publishable" if publishable else "secret", tuple(origin or ()))
        store.close()
        typer.echo(key)
