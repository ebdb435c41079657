"""Lint of evals/fixtures: format, ids, coverage of the seed controls and of the kinds of answer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from agent.kb import KnowledgeBase
from agent.simulate import Fixture, load_fixture
from agent.state import INTAKE_FIELDS, STATUSES, Profile
from evals.scoring.injection import fixture_injections

FIXTURES = Path(__file__).resolve().parents[2] / "evals" / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "knowledge" / "reference" / "seed_controls.yaml"
PATHS = sorted(FIXTURES.glob("*.yaml"))
TOP_LEVEL = {
    "id",
    "description",
    "profile",
    "expected_scope",
    "narrative",
    "answers",
    "followups",
    "expected",
    "expected_top_priorities",
}


def _all() -> list[Fixture]:
    return [load_fixture(p) for p in PATHS]


def _seed_ids() -> list[str]:
    return [s["id"] for s in yaml.safe_load(SEEDS.read_text(encoding="utf-8"))["controls"]]


def test_there_are_enough_fixtures() -> None:
    assert len(PATHS) >= 14


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_fixture_is_well_formed(path: Path, kb: KnowledgeBase) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(raw) <= TOP_LEVEL, f"unknown keys {set(raw) - TOP_LEVEL}"
    fixture = load_fixture(path)
    assert fixture.id == path.stem
    assert fixture.description and fixture.expected
    assert set(fixture.profile) <= set(INTAKE_FIELDS), set(fixture.profile) - set(INTAKE_FIELDS)
    profile = Profile.model_validate(fixture.profile)
    assert profile.audit_type in ("type1", "type2") and profile.employees
    assert sorted(fixture.expected_scope) == sorted(profile.scope()), "expected_scope must follow the profile"
    assert set(fixture.expected.values()) <= set(STATUSES)
    named = [*fixture.expected, *fixture.answers, *fixture.followups, *fixture.expected_top_priorities]
    unknown = sorted({cid for cid in named if cid not in kb.control_by_id})
    assert not unknown, f"ids not in the knowledge base: {unknown}"
    out_of_scope = [cid for cid in fixture.expected if kb.control(cid).category not in fixture.expected_scope]
    assert not out_of_scope, f"labelled controls outside the scope: {out_of_scope}"
    # A label other than unknown needs something the person said; followups only follow an answer.
    unanswered = [
        cid
        for cid, status in fixture.expected.items()
        if status != "unknown" and cid not in fixture.answers and cid not in (fixture.narrative or "")
    ]
    assert not unanswered, f"labels with no answer behind them: {unanswered}"
    assert set(fixture.followups) <= set(fixture.answers)
    for cid in fixture.expected_top_priorities:
        assert fixture.expected.get(cid) in ("gap", "partial"), f"{cid} is a priority but not a finding"


def test_every_seed_control_is_labelled_in_three_fixtures() -> None:
    counts = Counter(cid for f in _all() for cid in f.expected)
    thin = {cid: counts[cid] for cid in _seed_ids() if counts[cid] < 3}
    assert not thin, f"seed controls in fewer than 3 fixtures: {thin}"


def test_all_five_statuses_are_expected_somewhere() -> None:
    used = Counter(status for f in _all() for status in f.expected.values())
    assert set(used) == set(STATUSES)
    assert used["not_applicable"] >= 2 and used["unknown"] >= 2


def test_injections_and_priorities_are_present() -> None:
    fixtures = _all()
    assert sum(len(fixture_injections(f)) for f in fixtures) >= 2
    assert sum(1 for f in fixtures if fixture_injections(f)) >= 2
    assert sum(1 for f in fixtures if f.expected_top_priorities) >= 4


def test_every_optional_category_is_in_scope_somewhere(kb: KnowledgeBase) -> None:
    fixtures = _all()
    for category in ("availability", "confidentiality", "processing_integrity", "privacy"):
        labelled = [
            cid
            for f in fixtures
            if category in f.expected_scope
            for cid in f.expected
            if kb.control(cid).category == category
        ]
        assert len(labelled) >= 4, f"{category}: only {len(labelled)} labelled controls"


def test_organisations_vary() -> None:
    profiles = [f.profile for f in _all()]
    sizes = [p["employees"] for p in profiles]
    assert min(sizes) <= 5 and max(sizes) >= 400
    assert {p["audit_type"] for p in profiles} == {"type1", "type2"}
    assert {p.get("cloud") for p in profiles} >= {"aws", "gcp", "azure"}
    assert {p.get("identity_provider") for p in profiles} >= {"okta", "google", "microsoft"}
    assert {p.get("code_host") for p in profiles} >= {"github", "gitlab"}


def test_kinds_of_answer_are_covered() -> None:
    fixtures = _all()
    assert any(f.narrative and len(f.narrative) > 600 for f in fixtures), "a narrative-first fixture"
    assert any(f.followups and len(f.followups) >= 5 for f in fixtures), (
        "contradictions resolved in followups"
    )
    texts = [t for f in fixtures for t in f.answers.values()]
    asked_back = [t for t in texts if "?" in t.split(".")[0] and not t.rstrip().endswith("?")]
    assert len(asked_back) >= 5, "answers that first ask a question back"
    assert sum("we'd love" in t.lower() or "someday" in t.lower() for t in texts) >= 3
    assert sum(t.strip().lower().startswith(("yep", "nope", "nah")) for t in texts) >= 5
