"""`kb export`, `kb search` and `index build` through the real Typer app, with the fake embedding injected
at the factory seam (agent.retrieval.build.make_embedding_function) so no model loads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.settings import get_settings
from tests.agent.retrieval.conftest import HashingEmbedding


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("agent.retrieval.build.make_embedding_function", lambda settings: HashingEmbedding())
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_index_build_reports_counts_then_nothing_to_do(cli_env: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["index", "build"])
    assert first.exit_code == 0, first.output
    assert "added 0," not in first.output and "unchanged 0 " in first.output
    second = runner.invoke(app, ["index", "build"])
    assert second.exit_code == 0
    assert "added 0, updated 0, deleted 0" in second.output
    assert (cli_env / "chroma" / "chroma.sqlite3").exists()


def test_kb_search_prints_ranked_controls_and_criteria(cli_env: Path) -> None:
    result = CliRunner().invoke(app, ["kb", "search", "CC6-MFA-PROD and criterion CC7.2", "-k", "6"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("│ 1 ")]
    assert lines and "CC6-MFA-PROD" in lines[0]
    assert "criterion" in result.output and "CC7.2" in result.output


def test_kb_export_matches_the_interface_schema(cli_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    stdout = runner.invoke(app, ["kb", "export"])
    assert stdout.exit_code == 0
    data = json.loads(stdout.stdout)
    target = tmp_path / "kb.json"
    assert runner.invoke(app, ["kb", "export", "--json", str(target)]).exit_code == 0
    assert json.loads(target.read_text()) == data
    assert {"id", "category", "group", "title"} <= set(data["criteria"][0])
    control = next(c for c in data["controls"] if c["id"] == "CC6-MFA-PROD")
    for key in (
        "group",
        "title",
        "criteria",
        "question",
        "requirements",
        "evidence",
        "common_gap",
        "iso27001",
    ):
        assert key in control
    assert {"steps", "effort_days", "owner", "depends_on"} <= set(control["remediation"])
    assert all(isinstance(r, str) for r in control["requirements"])
