from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from agent.kb import KnowledgeBase
from agent.report import Report, build_report, render_html, render_markdown, write_reports
from agent.settings import Settings
from tests.agent.report.views import view
from tests.agent.roadmap.small_kb import finding

TODAY = date(2027, 1, 4)


def test_report_json_has_the_interfaces_md_shape(small_kb: KnowledgeBase, settings: Settings) -> None:
    report = build_report(view(uptime_commitments=True), small_kb, settings, TODAY)
    data = json.loads(report.model_dump_json())
    assert {
        "assessment_id",
        "organization",
        "scope",
        "findings",
        "summary",
        "roadmap",
        "crosswalk",
        "to_verify",
    } <= set(data)
    assert data["assessment_id"] == "asm-acme-1"
    assert data["organization"]["company_name"] == "Acme Analytics"
    assert data["scope"] == ["security", "availability"]
    first = data["findings"][0]
    assert {
        "control_id",
        "status",
        "rationale",
        "evidence_quotes",
        "criteria",
        "iso27001",
        "nist_csf",
    } <= set(first)
    assert set(data["summary"]) >= {"by_status", "by_group", "readiness"}
    assert set(data["summary"]["by_status"]) == {"implemented", "partial", "gap", "not_applicable", "unknown"}
    item = data["roadmap"][0]
    assert set(item) >= {
        "rank", "control_ids", "title", "why", "steps", "evidence_to_collect", "owner",
        "effort_days", "depends_on", "phase", "start", "due",
    }  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["start"]) and re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", item["due"]
    )
    assert set(data["crosswalk"]) == {"iso27001", "nist_csf"}
    assert data["to_verify"] == ["CC9-DPA"]
    assert Report.model_validate(data) == report


def test_summary_counts_and_readiness(small_kb: KnowledgeBase, settings: Settings) -> None:
    report = build_report(view(uptime_commitments=True), small_kb, settings, TODAY)
    s = report.summary
    assert s.by_status == {"implemented": 2, "partial": 7, "gap": 6, "not_applicable": 1, "unknown": 1}
    # (2 implemented + 0.5 x 7 partial) / (17 findings - 1 not applicable)
    assert s.readiness == round((2 + 3.5) / 16, 3)
    assert s.by_group["CC6"] == {"implemented": 1, "partial": 3, "gap": 1, "not_applicable": 1, "unknown": 0}
    assert s.by_group["A1"]["gap"] == 1
    # Never asked: left out, not counted as anything.
    assert s.not_yet_assessed == ["CC7-VULN-SCAN", "CC9-VENDOR-REPORTS"]
    assert (s.assessed, s.in_scope_controls) == (17, 19)


def test_out_of_scope_findings_are_ignored(small_kb: KnowledgeBase, settings: Settings) -> None:
    report = build_report(view(uptime_commitments=False), small_kb, settings, TODAY)
    assert report.scope == ["security"]
    assert "A1-BCDR" not in {f.control_id for f in report.findings}
    assert "A1" not in report.summary.by_group
    assert "A.5.30" not in report.crosswalk["iso27001"]


def test_crosswalk_takes_the_weakest_status_and_never_claims_unasked_coverage(
    small_kb: KnowledgeBase, settings: Settings
) -> None:
    report = build_report(view(uptime_commitments=True), small_kb, settings, TODAY)
    iso, csf = report.crosswalk["iso27001"], report.crosswalk["nist_csf"]
    assert iso["A.8.5"] == "partial"  # MFA prod partial + MFA email implemented
    assert iso["A.5.24"] == "gap"  # IR plan gap, IR test gap
    assert iso["A.8.32"] == "implemented"
    assert csf["GV.SC-05"] == "unknown"  # only the DPA control, unknown
    assert iso["A.8.22"] == "not_applicable"  # only network segmentation, justified n/a
    assert csf["PR.PS-04"] == "partial"  # log retention partial + separation of duties implemented
    # CC7-VULN-SCAN was never asked: what only it maps to is not in the crosswalk at all.
    assert "A.8.8" not in iso and "ID.RA-01" not in csf
    assert "GV.SC-07" not in csf  # only the unasked vendor-reports control maps there
    reachable_iso = {ref for f in report.findings for ref in f.iso27001}
    reachable_csf = {ref for f in report.findings for ref in f.nist_csf}
    assert set(iso) == reachable_iso and set(csf) == reachable_csf
    detail = {e.id: e for e in report.crosswalk_detail["iso27001"]}
    assert detail["A.5.18"].controls == {"CC4-ACCESS-CERT": "gap", "CC5-ACCESS-REVIEW-DONE": "gap"}
    assert detail["A.8.5"].title  # titled from the reference list


def test_unknown_weakens_an_implemented_mapping(small_kb: KnowledgeBase, settings: Settings) -> None:
    findings = [finding("CC6-MFA-PROD", "implemented"), finding("CC6-MFA-EMAIL", "unknown")]
    report = build_report(view(findings), small_kb, settings, TODAY)
    assert report.crosswalk["iso27001"] == {"A.8.5": "unknown"}
    findings = [finding("CC6-MFA-PROD", "partial"), finding("CC6-MFA-EMAIL", "unknown")]
    assert build_report(view(findings), small_kb, settings, TODAY).crosswalk["iso27001"] == {
        "A.8.5": "partial"
    }


def test_an_in_progress_assessment_reports_what_is_scored_so_far(
    small_kb: KnowledgeBase, settings: Settings
) -> None:
    findings = [finding("CC6-MFA-PROD", "implemented"), finding("CC1-POLICY", "gap")]
    report = build_report(view(findings, status="in_progress"), small_kb, settings, TODAY)
    assert report.assessment_status == "in_progress"
    assert report.summary.readiness == 0.5
    assert len(report.summary.not_yet_assessed) == 16
    assert "Scored so far: 2 of 18" in render_markdown(report)
    assert "Scored so far: 2 of 18" in render_html(report)


def test_readiness_window_comes_from_settings(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    six = Settings(data_dir=tmp_path, observation_window_months=6, _env_file=None)  # type: ignore[call-arg]
    report = build_report(view(target_audit_date="2027-12-01"), small_kb, six, TODAY)
    assert report.timeline.observation_window_months == 6
    assert report.timeline.observation_window_start == date(2027, 6, 1)


def test_write_reports_writes_three_files(
    small_kb: KnowledgeBase, settings: Settings, tmp_path: Path
) -> None:
    report = build_report(view(uptime_commitments=True), small_kb, settings, TODAY)
    paths = write_reports(report, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html", "report.json", "report.md"]
    assert Report.model_validate_json(paths["json"].read_text()) == report
    assert paths["md"].read_text() == render_markdown(report)
    assert paths["html"].read_text() == render_html(report)


def test_html_is_self_contained_and_escaped(small_kb: KnowledgeBase, settings: Settings) -> None:
    html = render_html(build_report(view(uptime_commitments=True), small_kb, settings, TODAY))
    assert "<script" not in html  # the user's words are data, never markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)\s*=|@import|url\(|https?://""", html)
    assert html.count("<svg") == 3  # readiness ring, domain bars, roadmap timeline
    assert 'class="bar"' in html and 'class="task"' in html


def test_markdown_escapes_table_cells(small_kb: KnowledgeBase, settings: Settings) -> None:
    md = render_markdown(build_report(view(uptime_commitments=True), small_kb, settings, TODAY))
    assert '"usually within 3 days \\| sometimes more"' in md
    assert "<script>" not in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_crosswalk_over_the_real_kb_stays_within_what_was_asked(
    kb: KnowledgeBase, settings: Settings
) -> None:
    asked = [c for c in kb.controls if c.group == "CC6"]
    findings = [finding(c.id, "implemented" if i % 2 else "gap") for i, c in enumerate(asked)]
    report = build_report(view(findings), kb, settings, TODAY)
    assert set(report.crosswalk["iso27001"]) == {ref for c in asked for ref in c.iso27001}
    assert set(report.crosswalk["nist_csf"]) == {ref for c in asked for ref in c.nist_csf}
    assert all(e.title for entries in report.crosswalk_detail.values() for e in entries)
    assert set(report.summary.not_yet_assessed) == {c.id for c in kb.controls_in(["security"])} - {
        c.id for c in asked
    }


def test_a_fresh_assessment_with_nothing_scored_still_renders(
    small_kb: KnowledgeBase, settings: Settings
) -> None:
    report = build_report(view([], status="in_progress"), small_kb, settings, TODAY)
    assert report.summary.readiness == 0.0 and report.summary.assessed == 0
    assert report.crosswalk == {"iso27001": {}, "nist_csf": {}}
    assert [i.kind for i in report.roadmap] == ["rerun"]
    assert "No assessed control maps here yet." in render_markdown(report)
    html = render_html(report)
    assert "No assessed control maps here yet." in html and 'class="bar"' not in html
