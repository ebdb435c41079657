from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from agent.kb import KnowledgeBase
from agent.roadmap import PHASES, build_roadmap
from agent.roadmap.dates import add_months, next_workday
from tests.agent.roadmap.small_kb import CONTROLS, SCENARIO, finding, load_small_kb, profile

TODAY = date(2027, 1, 4)  # a Monday
SECURITY = ["security"]


def item_with(roadmap, control_id):  # type: ignore[no-untyped-def]
    return next(i for i in roadmap.items if control_id in i.control_ids)


def test_controls_that_share_a_fix_are_one_item(small_kb: KnowledgeBase) -> None:
    findings = [finding(c.id, "gap") for c in small_kb.controls]
    roadmap = build_roadmap(small_kb, findings, profile(), SECURITY, TODAY)
    groups = [sorted(i.control_ids) for i in roadmap.items]
    assert ["CC4-ACCESS-CERT", "CC5-ACCESS-REVIEW-DONE"] in groups  # one access-review process
    assert ["CC6-MFA-EMAIL", "CC6-MFA-PROD"] in groups  # one IdP policy
    assert ["CC6-ENCRYPT-REST", "CC6-ENCRYPT-TRANSIT"] in groups  # asked together, same owner and domain
    # Asked together but one needs the other first: two items, in dependency order.
    assert ["CC7-IR-PLAN"] in groups and ["CC7-IR-TEST"] in groups
    # Out of scope: availability was not committed to.
    assert not any("A1-BCDR" in g for g in groups)
    every = [cid for i in roadmap.items for cid in i.control_ids]
    assert len(every) == len(set(every))


def test_a_shared_common_gap_merges_even_across_a_dependency(small_kb: KnowledgeBase) -> None:
    # Vendor reports wait on the vendor list, but both are common gap #7: one vendor-program item.
    findings = [
        finding("CC9-VENDOR-LIST", "partial"),
        finding("CC9-VENDOR-REPORTS", "gap"),
        finding("CC9-DPA", "gap"),
    ]
    roadmap = build_roadmap(small_kb, findings, profile(), SECURITY, TODAY)
    vendor = item_with(roadmap, "CC9-VENDOR-REPORTS")
    assert sorted(vendor.control_ids) == ["CC9-VENDOR-LIST", "CC9-VENDOR-REPORTS"]
    assert vendor.depends_on == []  # the internal dependency is part of the one piece of work
    dpa = item_with(roadmap, "CC9-DPA")
    assert dpa.depends_on_ranks == [vendor.rank] and dpa.start > vendor.due


def test_a_merge_that_would_create_a_dependency_cycle_is_refused(tmp_path: Path) -> None:
    rows = [list(r) for r in CONTROLS]
    by_id = {r[0]: r for r in rows}
    # IR test (#6) waits on the IR plan; make the plan wait on vuln scanning (#6 too): merging the two
    # #6 controls would leave the plan both before and after that one item.
    by_id["CC7-VULN-SCAN"][4] = 6
    by_id["CC7-IR-PLAN"][9] = ["CC7-VULN-SCAN"]
    kb = load_small_kb(tmp_path / "kb", [tuple(r) for r in rows])
    findings = [finding(cid, "gap") for cid in ("CC7-VULN-SCAN", "CC7-IR-PLAN", "CC7-IR-TEST")]
    roadmap = build_roadmap(kb, findings, profile(), SECURITY, TODAY)
    groups = [i.control_ids for i in roadmap.items if i.kind == "remediate"]
    assert groups == [["CC7-VULN-SCAN"], ["CC7-IR-PLAN"], ["CC7-IR-TEST"]]


def test_only_failing_controls_join_a_group(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    assert item_with(roadmap, "CC6-MFA-PROD").control_ids == ["CC6-MFA-PROD"]
    assert not any("CC6-MFA-EMAIL" in i.control_ids for i in roadmap.items)


def test_grouped_effort_is_the_shared_fix_plus_a_day_per_extra_control(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    review = item_with(roadmap, "CC4-ACCESS-CERT")
    assert review.effort_days == max(3, 2) + 1
    assert review.common_gap == 1
    assert review.title.startswith("Build:")  # at least one member is a gap


def test_order_respects_dependencies_and_dates_follow_it(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    by_rank = {i.rank: i for i in roadmap.items}
    assert [i.rank for i in roadmap.items] == list(range(1, len(roadmap.items) + 1))
    for item in roadmap.items:
        for dep_rank in item.depends_on_ranks:
            assert dep_rank < item.rank
            assert by_rank[dep_rank].due < item.start
    policy, review = item_with(roadmap, "CC1-POLICY"), item_with(roadmap, "CC4-ACCESS-CERT")
    assert review.depends_on == ["CC1-POLICY"]
    # The policy inherits the access review's urgency (common gap #1) instead of waiting its turn.
    assert (policy.rank, review.rank) == (1, 2)
    assert policy.phase == "Foundations"
    plan, test = item_with(roadmap, "CC7-IR-PLAN"), item_with(roadmap, "CC7-IR-TEST")
    assert plan.rank < test.rank and plan.due < test.start and plan.phase == "Foundations"
    # MFA (#2) before offboarding (#3) before log retention (#8).
    ranks = [item_with(roadmap, c).rank for c in ("CC6-MFA-PROD", "CC6-OFFBOARDING", "CC7-LOG-RETENTION")]
    assert ranks == sorted(ranks)


def test_one_owner_does_one_thing_at_a_time(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    by_owner: dict[str, list] = {}  # type: ignore[type-arg]
    for item in roadmap.items:
        by_owner.setdefault(item.owner, []).append(item)
    for items in by_owner.values():
        spans = sorted((i.start, i.due) for i in items)
        for (_, due), (start, _) in zip(spans, spans[1:], strict=False):
            assert start > due


def test_type2_dates_back_from_the_target(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(target_audit_date="2027-09-01"), SECURITY, TODAY)
    t = roadmap.timeline
    assert t.realistic and t.planned_audit_date == date(2027, 9, 1)
    assert t.observation_window_start == date(2027, 6, 1)
    assert t.remediation_deadline == date(2027, 5, 31)  # a Monday, the day before the window
    # 60 days before is Saturday 2027-07-03: the re-run starts the next workday; due 30 days before.
    assert (t.rerun_start, t.rerun_due) == (date(2027, 7, 5), date(2027, 8, 2))
    work = [i for i in roadmap.items if i.kind != "rerun"]
    assert all(i.start >= TODAY and i.due <= i.latest_due for i in work)  # type: ignore[operator]
    assert all(i.operating_by == date(2027, 6, 1) for i in work)
    assert roadmap.items[-1].kind == "rerun" and roadmap.items[-1].phase == "Pre-audit re-run"
    assert t.notes[0].startswith("The target audit date 2027-09-01 holds")
    assert any("observation window" in n and "2027-06-01" in n for n in t.notes)
    assert any("in line with the guide" in n for n in t.notes)
    assert [p.name for p in t.phases] == [p for p in PHASES if p in {p.name for p in t.phases}]
    window = next(p for p in t.phases if p.name == "Operate and collect evidence")
    assert window.end == date(2027, 9, 1)


def test_type1_has_no_window_and_finishes_before_the_rerun(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(
        small_kb, SCENARIO, profile(audit_type="type1", target_audit_date="2027-09-01"), SECURITY, TODAY
    )
    t = roadmap.timeline
    assert t.observation_window_start is None
    assert t.remediation_deadline == date(2027, 7, 2)  # the workday before the re-run opens (2027-07-03)
    assert all(i.operating_by is None for i in roadmap.items)
    ready = next_workday(t.work_complete_by + timedelta(days=1))
    assert t.earliest_realistic_date == ready + timedelta(days=60)
    assert not any("observation window" in n for n in t.notes)


def test_a_target_too_close_is_called_unrealistic_with_the_date_that_would_work(
    small_kb: KnowledgeBase,
) -> None:
    monday = date(2027, 7, 5)
    only_email = [finding("CC6-MFA-EMAIL", "gap")]  # one day of work, due the same Monday
    type2 = build_roadmap(small_kb, only_email, profile(target_audit_date="2027-09-01"), SECURITY, monday)
    t = type2.timeline
    assert t.work_complete_by == monday
    assert not t.realistic
    # Ready Tuesday 2027-07-06, plus three months of operation.
    assert t.earliest_realistic_date == date(2027, 10, 6)
    assert "2027-09-01 is not realistic" in t.notes[0] and "2027-10-06" in t.notes[0]
    assert t.planned_audit_date == date(2027, 10, 6)
    assert (t.rerun_start, t.rerun_due) == (date(2027, 8, 9), date(2027, 9, 6))  # 60/30 days before Oct 6
    assert any("leaves little room" in n for n in t.notes)
    item = type2.items[0]
    # Against the target the window would have opened on 2027-06-01: already too late for this item.
    assert item.latest_due == date(2027, 5, 31) and item.slack_days == -35
    # Against the realistic date the control must operate from the day after it is done.
    assert item.operating_by == date(2027, 7, 6)

    type1 = build_roadmap(
        small_kb, only_email, profile(audit_type="type1", target_audit_date="2027-09-01"), SECURITY, monday
    )
    assert not type1.timeline.realistic
    assert type1.timeline.earliest_realistic_date == date(2027, 9, 4)  # ready + 60 days for the re-run
    ok = build_roadmap(
        small_kb, only_email, profile(audit_type="type1", target_audit_date="2027-09-10"), SECURITY, monday
    )
    assert ok.timeline.realistic


def test_a_long_backlog_makes_items_late_against_the_target(small_kb: KnowledgeBase) -> None:
    findings = [finding(c.id, "gap") for c in small_kb.controls]
    today = date(2027, 5, 3)
    roadmap = build_roadmap(small_kb, findings, profile(target_audit_date="2027-06-15"), SECURITY, today)
    t = roadmap.timeline
    assert not t.realistic
    ready = next_workday(t.work_complete_by + timedelta(days=1))
    assert t.earliest_realistic_date == max(add_months(ready, 3), ready + timedelta(days=60))
    assert "2027-06-15 is not realistic" in t.notes[0]
    assert any(i.slack_days is not None and i.slack_days < 0 for i in roadmap.items)


def test_a_past_target_and_a_missing_target(small_kb: KnowledgeBase) -> None:
    past = build_roadmap(small_kb, SCENARIO, profile(target_audit_date="2026-12-01"), SECURITY, TODAY)
    assert not past.timeline.realistic and "already passed" in past.timeline.notes[0]
    missing = build_roadmap(small_kb, SCENARIO, profile(target_audit_date=None), SECURITY, TODAY)
    assert not missing.timeline.realistic
    assert "No target audit date" in missing.timeline.notes[0]
    assert missing.timeline.planned_audit_date == missing.timeline.earliest_realistic_date
    assumed = build_roadmap(small_kb, SCENARIO, profile(audit_type=None), SECURITY, TODAY)
    assert assumed.timeline.audit_type == "type2" and assumed.timeline.audit_type_assumed


def test_leap_year_target_and_window(small_kb: KnowledgeBase) -> None:
    findings = [finding("CC6-MFA-EMAIL", "gap")]
    roadmap = build_roadmap(small_kb, findings, profile(target_audit_date="2028-02-29"), SECURITY, TODAY)
    t = roadmap.timeline
    assert t.observation_window_start == date(2027, 11, 29)
    assert t.remediation_deadline == date(2027, 11, 26)  # the 28th is a Sunday: the Friday before
    assert (t.rerun_start, t.rerun_due) == (date(2027, 12, 31), date(2028, 1, 30))
    twelve = build_roadmap(
        small_kb,
        findings,
        profile(target_audit_date="2028-02-29"),
        SECURITY,
        TODAY,
        observation_window_months=12,
    )
    assert twelve.timeline.observation_window_start == date(2027, 2, 28)
    feb_window = build_roadmap(small_kb, findings, profile(target_audit_date="2028-05-31"), SECURITY, TODAY)
    assert feb_window.timeline.observation_window_start == date(2028, 2, 29)
    assert feb_window.timeline.remediation_deadline == date(2028, 2, 28)


def test_steps_are_tailored_to_the_stack(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    steps = item_with(roadmap, "CC6-MFA-PROD").steps
    assert steps[:2] == ["First step for CC6-MFA-PROD", "Second step for CC6-MFA-PROD"]
    assert "On AWS: AWS example for CC6-MFA-PROD" in steps
    assert "On Okta: Okta example for CC6-MFA-PROD" in steps
    assert "On Google Workspace: Workspace example for CC6-MFA-PROD" in steps
    assert not any("GitLab" in s for s in steps)  # the code host is GitHub
    gitlab = build_roadmap(small_kb, SCENARIO, profile(code_host="gitlab", cloud=None), SECURITY, TODAY)
    steps = item_with(gitlab, "CC6-MFA-PROD").steps
    assert "On GitLab: GitLab example for CC6-MFA-PROD" in steps and not any("AWS" in s for s in steps)


def test_why_evidence_and_owner(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    review = item_with(roadmap, "CC4-ACCESS-CERT")
    assert "No access reviews have happened" in review.why
    assert "Common first-audit gap #1" in review.why and "Auditors testing CC4.1" in review.why
    assert "Evidence A for CC5-ACCESS-REVIEW-DONE" in review.evidence_to_collect
    assert "Closing evidence for gap 1" in review.evidence_to_collect
    assert review.owner == "IT / Security lead"


def test_unknowns_become_verify_items_and_na_keeps_the_justification(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    verify = item_with(roadmap, "CC9-DPA")
    assert verify.kind == "verify" and verify.title.startswith("Verify:") and verify.phase == "Foundations"
    assert verify.effort_days == 1 and "How do you handle cc9-dpa?" in verify.steps[0]
    assert roadmap.to_verify == ["CC9-DPA"]
    assert [(n.control_id, n.justification) for n in roadmap.not_applicable] == [
        ("CC6-NETWORK-SEG", "Fully remote company with no corporate network")
    ]
    assert not any("CC6-NETWORK-SEG" in i.control_ids for i in roadmap.items)


def test_an_evidence_only_shortfall_lands_in_the_operate_phase(small_kb: KnowledgeBase) -> None:
    roadmap = build_roadmap(small_kb, SCENARIO, profile(), SECURITY, TODAY)
    assert item_with(roadmap, "CC2-TRAINING").phase == "Operate and collect evidence"
    assert item_with(roadmap, "CC6-MFA-PROD").phase == "Close critical gaps"  # coverage, not evidence


def test_nothing_to_fix_still_schedules_the_rerun(small_kb: KnowledgeBase) -> None:
    findings = [finding(c.id, "implemented") for c in small_kb.controls]
    roadmap = build_roadmap(small_kb, findings, profile(), SECURITY, TODAY)
    assert [i.kind for i in roadmap.items] == ["rerun"]
    assert roadmap.timeline.realistic
