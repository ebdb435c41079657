"""`soc2-gap serve` and `soc2-gap keys create` as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from agent.cli import app as cli
from bench.bench_load import serve_process
from server.services import DEMO_WIDGET_KEY
from server.store import TenantStore


def test_several_workers_without_postgres_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code != 0
    assert "DATABASE_URL" in result.output


def test_keys_create_needs_a_tenant(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(tmp_path))
    assert CliRunner().invoke(cli, ["keys", "create"]).exit_code != 0
    assert CliRunner().invoke(cli, ["keys", "create", "--tenant", "  "]).exit_code != 0


def test_keys_create_makes_distinct_keys_for_one_tenant(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    keys = [CliRunner().invoke(cli, ["keys", "create", "--tenant", "acme"]).stdout.strip() for _ in range(2)]
    assert keys[0] != keys[1]
    store = TenantStore(sqlite_path=tmp_path / "app.sqlite")
    try:
        assert [store.lookup_key(k).tenant for k in keys] == ["acme", "acme"]  # type: ignore[union-attr]
    finally:
        store.close()


def test_serve_bootstrap_serves_the_api_docs_and_the_demo_widget_key(tmp_path: Path) -> None:
    with serve_process(tmp_path / "data", extra_args=("--bootstrap",)) as server:
        assert httpx.get(server.base_url + "/docs").status_code == 200
        ready = httpx.get(server.base_url + "/readyz", timeout=60)
        assert ready.status_code == 200, ready.text
        page = httpx.get(server.base_url + "/").text
        assert DEMO_WIDGET_KEY in page
        # The page's own origin, whatever port serve was given, may use the demo key.
        started = httpx.post(
            server.base_url + "/v1/assessments",
            headers={"Authorization": f"Bearer {DEMO_WIDGET_KEY}", "Origin": server.base_url},
            timeout=60,
        )
        assert started.status_code == 201, started.text
        assert started.json()["session_token"]
