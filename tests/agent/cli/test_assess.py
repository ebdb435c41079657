from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.settings import get_settings

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "evals" / "fixtures" / "seed-stage-saas-aws.yaml"


@pytest.fixture
def offline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOC2GAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOC2GAP_LLM", "offline")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.mark.integration
def test_run_plays_a_fixture_and_writes_reports(offline_env: Path) -> None:
    if not FIXTURE.exists():
        pytest.skip("fixture not written yet")
    out = offline_env / "out"
    result = CliRunner().invoke(app, ["run", "--answers", str(FIXTURE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"findings.json", "report.json", "report.md", "report.html"}
    findings = json.loads((out / "findings.json").read_text())
    assert findings["status"] == "complete"
    assert findings["scope"] == ["security", "availability"]
    report = json.loads((out / "report.json").read_text())
    assert report["assessment_id"] == findings["assessment_id"]
    # stored in SQLite under the data dir, so `soc2-gap report ID` finds it later
    assert (offline_env / "data" / "checkpoints.sqlite").exists()


@pytest.mark.integration
def test_chat_saves_and_resumes(offline_env: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["chat"], input="Acme Analytics\n25\nquit\n")
    assert first.exit_code == 0, first.output
    assert "Type II" in first.output
    assessment_id = first.output.split("--resume ")[-1].split()[0].strip()
    second = runner.invoke(app, ["chat", "--resume", assessment_id], input="Type II\nquit\n")
    assert second.exit_code == 0, second.output
    assert "When would you like the audit" in second.output
    missing = runner.invoke(app, ["chat", "--resume", "no-such-id"], input="quit\n")
    assert missing.exit_code == 1
