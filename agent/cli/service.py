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
        workers: Annotated[
            int, typer.Option(min=1, help="Worker processes; more than 1 needs DATABASE_URL.")
        ] = 1,
        bootstrap: Annotated[
            bool, typer.Option(help="Create the local default tenant and demo widget key.")
        ] = False,
        graceful_timeout: Annotated[
            int, typer.Option(min=1, help="Seconds in-flight turns get to finish on SIGTERM/SIGINT.")
        ] = 30,
    ) -> None:
        """Run the HTTP server: API, web widget and Slack endpoint."""
        import os

        import uvicorn

        settings = Settings()
        if workers > 1 and not settings.database_url:
            raise typer.BadParameter(
                "several workers share state through Postgres: set DATABASE_URL", param_hint="--workers"
            )
        bind_host = host or settings.host
        bind_port = port or settings.port
        # Workers build their own Settings from the environment (server.main): hand the choices down.
        os.environ["SOC2GAP_HOST"] = bind_host
        os.environ["SOC2GAP_PORT"] = str(bind_port)
        if bootstrap:
            os.environ["SOC2GAP_BOOTSTRAP"] = "1"
        typer.echo(f"SOC 2 gap agent on http://{bind_host}:{bind_port}  (API docs at /docs)", err=True)
        uvicorn.run(
            "server.main:app",
            host=bind_host,
            port=bind_port,
            workers=workers,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=graceful_timeout,
        )

    @keys_app.command("create")
    def create_key(
        tenant: Annotated[str, typer.Option(help="Tenant that owns the key and its assessments.")],
        publishable: Annotated[
            bool, typer.Option(help="A browser (widget) key limited to --origin, instead of a secret key.")
        ] = False,
        origin: Annotated[
            list[str] | None, typer.Option(help="Allowed origin for a publishable key (repeatable).")
        ] = None,
    ) -> None:
        """Print a new API key for TENANT. Only its hash is stored: copy it now."""
        from server.store import build_store

        if publishable and not origin:
            raise typer.BadParameter("a publishable key needs at least one --origin", param_hint="--origin")
        if not tenant.strip():
            raise typer.BadParameter("the tenant name cannot be empty", param_hint="--tenant")
        origins = tuple(o.rstrip("/") for o in origin or ())
        store = build_store(Settings())
        try:
            key = store.create_key(tenant.strip(), "publishable" if publishable else "secret", origins)
        finally:
            store.close()
        typer.echo(key)
