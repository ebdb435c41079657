from __future__ import annotations

from agent.roadmap.items import DraftItem
from agent.roadmap.ordering import phase_of, priority_order


def draft(
    cid: str,
    status: str = "gap",
    rank: int | None = None,
    effort: int = 3,
    depends_on: list[str] | None = None,
    kind: str = "remediate",
) -> DraftItem:
    return DraftItem(
        control_ids=[cid],
        kind=kind,
        title=cid,
        why="",
        steps=[],
        evidence=[],
        owner="owner",
        effort_days=effort,
        statuses={cid: status},
        common_gap=rank,
        depends_on=depends_on or [],
    )


def ordered(drafts: list[DraftItem]) -> list[str]:
    order, _ = priority_order(drafts, {d.control_ids[0]: i for i, d in enumerate(drafts)})
    return [drafts[i].control_ids[0] for i in order]


def test_common_gap_rank_comes_first() -> None:
    drafts = [draft("C", rank=8), draft("B", rank=None), draft("A", rank=1)]
    assert ordered(drafts) == ["A", "C", "B"]


def test_gap_before_partial_at_equal_rank() -> None:
    drafts = [draft("P", status="partial", effort=1), draft("G", status="gap", effort=9)]
    assert ordered(drafts) == ["G", "P"]


def test_quick_wins_first_at_equal_severity() -> None:
    drafts = [draft("SLOW", effort=20), draft("QUICK", effort=1), draft("MID", effort=5)]
    assert ordered(drafts) == ["QUICK", "MID", "SLOW"]


def test_unknowns_follow_known_failures_of_the_same_rank() -> None:
    drafts = [draft("U", status="unknown", kind="verify", effort=1), draft("P", status="partial", effort=8)]
    assert ordered(drafts) == ["P", "U"]


def test_a_dependency_is_pulled_forward_with_the_urgent_item_waiting_on_it() -> None:
    # POLICY alone would rank last (no common gap, big effort), but the rank-1 review waits on it.
    drafts = [
        draft("MFA", rank=2, effort=1),
        draft("POLICY", rank=None, effort=10),
        draft("REVIEW", rank=1, effort=2, depends_on=["POLICY"]),
    ]
    assert ordered(drafts) == ["POLICY", "REVIEW", "MFA"]


def test_order_is_topological_along_chains() -> None:
    drafts = [
        draft("TEST", rank=6, depends_on=["PLAN"]),
        draft("PLAN", rank=None, depends_on=["ROLES"]),
        draft("ROLES", rank=None, effort=30),
        draft("OTHER", rank=9),
    ]
    result = ordered(drafts)
    assert result.index("ROLES") < result.index("PLAN") < result.index("TEST")
    assert result[-1] == "OTHER"


def test_dependencies_on_controls_not_in_the_roadmap_are_ignored() -> None:
    drafts = [draft("A", rank=3, depends_on=["ALREADY-IMPLEMENTED"]), draft("B", rank=1)]
    assert ordered(drafts) == ["B", "A"]


def test_a_dependency_cycle_keeps_every_item_and_says_so() -> None:
    drafts = [draft("A", rank=2, depends_on=["B"]), draft("B", rank=4, depends_on=["A"]), draft("C", rank=5)]
    order, notes = priority_order(drafts, {"A": 0, "B": 1, "C": 2})
    assert sorted(order) == [0, 1, 2]
    assert len(notes) == 1 and "cycle" in notes[0]


def test_phases() -> None:
    assert phase_of(draft("X", kind="verify", status="unknown"), is_dependency=False) == "Foundations"
    assert phase_of(draft("X", rank=None, status="partial"), is_dependency=True) == "Foundations"
    assert phase_of(draft("X", rank=4, status="partial"), is_dependency=False) == "Close critical gaps"
    assert phase_of(draft("X", rank=None, status="gap"), is_dependency=False) == "Close remaining gaps"
    assert phase_of(draft("X", rank=None, status="partial"), is_dependency=False) == "Close remaining gaps"
    evidence_only = draft("X", rank=10, status="partial")
    evidence_only.evidence_only = True
    assert phase_of(evidence_only, is_dependency=False) == "Operate and collect evidence"
