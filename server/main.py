"""ASGI entry point for uvicorn workers: each worker builds its own services from Settings."""

from __future__ import annotations

from agent.settings import Settings
from server.app import create_app

_settings = Settings()
app = create_app(_settings, bootstrap=_settings.bootstrap, warm_index=True)
