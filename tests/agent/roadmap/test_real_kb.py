"""The roadmap over the project's own knowledge base: the guide's shared fixes and orders hold there."""

from __future__ import annotations

from datetime import date

from agent.kb import KnowledgeBase
from agent.kb.models import CATEGORIES
from agent.roadmap import build_roadmap
from tests.agent.roadmap.small_kb import finding, profile

TODAY = date(2027, 1, 4)


def all_gaps(kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    findings = [finding(c.id, "gap") for c in kb.controls]
    return build_roadmap(kb, findings, profile(), list(CATEGORIES), TODAY)


def test_the_guide_s_shared_fixes_are_single_items(kb: KnowledgeBase) -> None:
    groups = [set(i.control_ids) for i in all_gaps(kb).items]
    assert any({"CC4-ACCESS-CERT", "CC5-ACCESS-REVIEW-DONE"} <= g for g in groups)
    assert any({"CC6-MFA-PROD", "CC6-MFA-EMAIL"} <= g for g in groups)


def test_dependencies_come_first(kb: KnowledgeBase) -> None:
    roadmap = all_gaps(kb)
    rank = {cid: i.rank for i in roadmap.items for cid in i.control_ids}
    by_rank = {i.rank: i for i in roadmap.items}
    assert rank["CC7-IR-PLAN"] < rank["CC7-IR-TEST"]
    for control in kb.controls:
        for dep in control.remediation.depends_on:
            assert rank[dep] <= rank[control.id], (dep, control.id)
    for item in roadmap.items:
        for dep_rank in item.depends_on_ranks:
            assert by_rank[dep_rank].due < item.start


def test_every_item_is_actionable(kb: KnowledgeBase) -> None:
    roadmap = all_gaps(kb)
    covered = sorted(cid for i in roadmap.items for cid in i.control_ids)
    assert covered == sorted(c.id for c in kb.controls)
    for item in roadmap.items:
        assert item.owner and item.effort_days >= 1 and len(item.steps) >= 2 and item.evidence_to_collect
        assert item.start <= item.due
    mfa = next(i for i in roadmap.items if "CC6-MFA-PROD" in i.control_ids)
    assert any(s.startswith("On AWS:") for s in mfa.steps) and any(
        s.startswith("On Okta:") for s in mfa.steps
    )
    top = [cid for i in roadmap.items[:3] for cid in i.control_ids]
    assert "CC4-ACCESS-CERT" in top  # the guide's most common finding leads
