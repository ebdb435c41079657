from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from agent.compare import compare, render_comparison_json, render_comparison_markdown
from agent.kb import KnowledgeBase
from agent.report import Report, build_report
from agent.settings import Settings
from tests.agent.report.views import view
from tests.agent.roadmap.small_kb import SCENARIO, finding, load_small_kb

FIRST_RUN = date(2027, 1, 4)
SECOND_RUN = date(2027, 4, 1)


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_small_kb(tmp_path_factory.mktemp("small-kb") / "knowledge")


def second_run_findings() -> list:  # type: ignore[type-arg]
    changed = {
        "CC4-ACCESS-CERT": finding("CC4-ACCESS-CERT", "implemented"),
        "CC5-ACCESS-REVIEW-DONE": finding("CC5-ACCESS-REVIEW-DONE", "implemented"),
        "CC7-IR-PLAN": finding("CC7-IR-PLAN", "implemented"),
        "CC6-MFA-EMAIL": finding("CC6-MFA-EMAIL", "partial"),
        "CC9-DPA": finding("CC9-DPA", "gap"),
        "CC6-OFFBOARDING": finding("CC6-OFFBOARDING", "gap"),
    }
    kept = [changed.pop(f.control_id, f) for f in SCENARIO]
    return kept + [finding("CC7-VULN-SCAN", "implemented")]


def reports(kb: KnowledgeBase, settings: Settings, **overrides: object) -> tuple[Report, Report]:
    old = build_report(
        view(assessment_id="run-1", uptime_commitments=True, **overrides), kb, settings, FIRST_RUN
    )
    new = build_report(
        view(second_run_findings(), assessment_id="run-2", uptime_commitments=True, **overrides),
        kb,
        settings,
        SECOND_RUN,
    )
    return old, new


def ids(changes: list) -> list[str]:  # type: ignore[type-arg]
    return [c.control_id for c in changes]


def test_improved_regressed_changed_and_still_open(small_kb: KnowledgeBase, settings: Settings) -> None:
    old, new = reports(small_kb, settings)
    result = compare(old, new, SECOND_RUN)
    assert sorted(ids(result.improved)) == ["CC4-ACCESS-CERT", "CC5-ACCESS-REVIEW-DONE", "CC7-IR-PLAN"]
    assert sorted(ids(result.regressed)) == ["CC6-MFA-EMAIL", "CC6-OFFBOARDING"]
    assert ids(result.changed) == ["CC9-DPA"]  # unknown -> gap: now known, but no better
    assert "CC7-IR-TEST" in ids(result.still_open) and "CC6-MFA-EMAIL" in ids(result.still_open)
    assert "CC4-ACCESS-CERT" not in ids(result.still_open)
    assert "CC6-NETWORK-SEG" not in ids(result.still_open)  # not applicable is closed
    assert result.newly_assessed == ["CC7-VULN-SCAN"]
    assert result.new_readiness > result.old_readiness


def test_late_items_are_old_roadmap_items_past_due_and_not_closed(
    small_kb: KnowledgeBase, settings: Settings
) -> None:
    old, new = reports(small_kb, settings)
    result = compare(old, new, SECOND_RUN)
    late = {tuple(i.control_ids): i for i in result.late_items}
    ir_test = next(i for i in old.roadmap if i.control_ids == ["CC7-IR-TEST"])
    assert late[("CC7-IR-TEST",)].days_late == (SECOND_RUN - ir_test.due).days > 0
    assert late[("CC7-IR-TEST",)].statuses_now == {"CC7-IR-TEST": "gap"}
    assert ("CC4-ACCESS-CERT", "CC5-ACCESS-REVIEW-DONE") not in late  # closed
    assert ("CC7-IR-PLAN",) not in late
    assert ("CC9-DPA",) not in late  # a verify item is done once the answer is known
    assert not any(i.control_ids == [] for i in result.late_items)  # the re-run is not due yet
    # Before anything was due, nothing is late.
    assert compare(old, new, FIRST_RUN).late_items == []


def test_target_date_holds_or_not(small_kb: KnowledgeBase, settings: Settings) -> None:
    old, new = reports(small_kb, settings)
    result = compare(old, new, SECOND_RUN)
    assert result.target_holds and result.target_audit_date == date(2027, 9, 1)
    assert "still holds" in result.target_verdict and "late" in result.target_verdict

    old, new = reports(small_kb, settings, target_audit_date="2027-05-01")
    result = compare(old, new, SECOND_RUN)
    assert not result.target_holds
    assert "no longer holds" in result.target_verdict
    assert new.timeline.earliest_realistic_date.isoformat() in result.target_verdict


def test_renderings(small_kb: KnowledgeBase, settings: Settings, tmp_path: Path) -> None:
    old, new = reports(small_kb, settings)
    result = compare(old, new, SECOND_RUN)
    md = render_comparison_markdown(result)
    assert md.startswith("# SOC 2 gap analysis progress: Acme Analytics")
    for heading in (
        "## Improved (3)",
        "## Regressed (2)",
        "## Still open",
        "## Late roadmap items",
        "## Newly assessed",
    ):
        assert heading in md
    assert "| CC6-MFA-EMAIL: Title of CC6-MFA-EMAIL | implemented | partial |" in md
    data = json.loads(render_comparison_json(result))
    assert data["old_assessment_id"] == "run-1" and data["new_assessment_id"] == "run-2"
    assert {"improved", "regressed", "still_open", "late_items", "target_holds"} <= set(data)
