"""The real app under uvicorn on 127.0.0.1 in a background thread: for browser and end-to-end tests.

Reuse it with `from tests.server.live_server import live_server  # noqa: F401` (the fixture), or
`with run_live_server(settings) as server:` for a custom Settings. The socket is bound before uvicorn
starts, so the port is known (and free) without a race, and the server's own origin is added to
allowed_origins so the demo widget key works from the page it serves.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from agent.settings import Settings
from server.app import create_app
from server.services import DEMO_WIDGET_KEY

STARTUP_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    port: int
    settings: Settings
    widget_key: str = DEMO_WIDGET_KEY

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def client(self, **kwargs: Any) -> httpx.Client:
        """An HTTP client that presents the server's own origin (publishable keys need one)."""
        headers = {"Origin": self.base_url, **kwargs.pop("headers", {})}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60, **kwargs)


def live_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Offline interpreter, tmp data dir, no .env: a live server never reaches a model API.

    The rate limit is raised by default because a test module drives hundreds of turns a minute with
    one demo key; pass rate_limit_per_minute to test the limiter itself.
    """
    values: dict[str, Any] = {"llm": "offline", "bootstrap": True, "rate_limit_per_minute": 100_000}
    values.update(overrides)
    return Settings(data_dir=data_dir, _env_file=None, **values)  # type: ignore[call-arg]


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    return sock


@contextmanager
def run_live_server(settings: Settings, *, bootstrap: bool = True) -> Iterator[LiveServer]:
    sock = _bound_socket()
    port = sock.getsockname()[1]
    origin = f"http://127.0.0.1:{port}"
    settings = settings.model_copy(
        update={"host": "127.0.0.1", "port": port, "allowed_origins": [*settings.allowed_origins, origin]}
    )
    app = create_app(settings, bootstrap=bootstrap)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # surfaced to the test below instead of dying silently in a thread
            failure.append(exc)

    thread = threading.Thread(target=serve, name=f"live-server-{port}", daemon=True)
    thread.start()
    try:
        # uvicorn sets `started` after lifespan start-up (engine built, demo key bootstrapped).
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not server.started:
            if failure or not thread.is_alive():
                raise RuntimeError(
                    f"live server failed to start: {failure[0] if failure else 'thread exited'}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start in time")
            time.sleep(0.05)
        yield LiveServer(base_url=origin, port=port, settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per test module, on its own tmp SOC2GAP_DATA_DIR."""
    data_dir = tmp_path_factory.mktemp("live-server") / "data"
    with run_live_server(live_settings(data_dir)) as server:
        yield server
