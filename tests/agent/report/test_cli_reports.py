"""`soc2-gap report` and `soc2-gap compare`, through Typer, against an engine double and report files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.cli import reports as reports_cli
from agent.engine import AssessmentView
from agent.kb import KnowledgeBase
from agent.report import Report, build_report, render_json
from agent.settings import Settings
from tests.agent.report.views import view
from tests.agent.roadmap.small_kb import finding

runner = CliRunner()


@dataclass
class Deps:
    kb: KnowledgeBase


class StoredAssessments:
    """Stands in for agent.runtime.build_engine(settings): only get_state is used by these commands."""

    def __init__(self, kb: KnowledgeBase, views: dict[str, AssessmentView]) -> None:
        self.deps = Deps(kb)
        self.views = views

    def get_state(self, assessment_id: str) -> AssessmentView:
        return self.views[assessment_id]


@pytest.fixture
def engine(small_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> StoredAssessments:
    early = view(assessment_id="early", updated_at=date(2027, 1, 4))
    later_findings = [finding("CC4-ACCESS-CERT", "implemented"), finding("CC7-IR-TEST", "gap")]
    later = view(later_findings, assessment_id="later", updated_at=date(2027, 4, 1))
    stored = StoredAssessments(small_kb, {"early": early, "later": later})
    monkeypatch.setattr(reports_cli, "_engine", lambda: stored)
    return stored


def test_report_formats_from_a_stored_assessment(engine: StoredAssessments, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "early", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["assessment_id"] == "early"
    assert data["generated_on"] == "2027-01-04"  # dated as of the assessment, not the day it is printed
    assert data["roadmap"][0]["start"] == "2027-01-04"

    md = runner.invoke(app, ["report", "early"])
    assert md.exit_code == 0 and md.stdout.startswith("# SOC 2 gap analysis: Acme Analytics")

    out = tmp_path / "nested" / "report.html"
    html = runner.invoke(app, ["report", "early", "--format", "html", "--out", str(out)])
    assert html.exit_code == 0, html.output
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_report_of_an_unknown_assessment_fails_cleanly(engine: StoredAssessments) -> None:
    result = runner.invoke(app, ["report", "nope"])
    assert result.exit_code == 1
    assert "no assessment with id nope" in result.output


def test_report_rejects_an_unknown_format(engine: StoredAssessments) -> None:
    assert runner.invoke(app, ["report", "early", "--format", "pdf"]).exit_code != 0


def test_compare_two_stored_assessments(engine: StoredAssessments, tmp_path: Path) -> None:
    out = tmp_path / "cmp.json"
    result = runner.invoke(app, ["compare", "early", "later", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "# SOC 2 gap analysis progress: Acme Analytics" in result.stdout
    data = json.loads(out.read_text())
    assert [c["control_id"] for c in data["improved"]] == ["CC4-ACCESS-CERT"]
    # The early run's roadmap keeps its own dates, so its IR items are late by the later run.
    assert any(i["control_ids"] == ["CC7-IR-TEST"] for i in data["late_items"])


def test_compare_report_files_without_an_engine(
    small_kb: KnowledgeBase, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_engine() -> None:
        raise AssertionError("report files need no engine")

    monkeypatch.setattr(reports_cli, "_engine", no_engine)
    old = build_report(view(assessment_id="a"), small_kb, settings, date(2027, 1, 4))
    new = build_report(view(assessment_id="b"), small_kb, settings, date(2027, 2, 1))
    (tmp_path / "a.json").write_text(render_json(old))
    (tmp_path / "b.json").write_text(render_json(new))
    result = runner.invoke(app, ["compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert result.exit_code == 0, result.output
    assert "`a` then `b`" in result.stdout
    again = runner.invoke(app, ["report", str(tmp_path / "a.json"), "--format", "json"])
    assert Report.model_validate_json(again.stdout) == old
