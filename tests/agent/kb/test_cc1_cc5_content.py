"""Content checks for the CC1-CC5 controls, the security criteria and scoping.

These read the files directly (not through load_knowledge) so that a problem in another writer's
file does not hide a regression here; the cross-file cluster check uses the full knowledge base.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.kb import KnowledgeBase
from agent.kb.models import Control, ControlsFile, CriteriaFile, Scoping

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"
OWN_GROUPS = ("CC1", "CC2", "CC3", "CC4", "CC5")

# Evidence the guide explicitly demands; only these may block `implemented` when unconfirmed,
# because every other unknown requirement is taken at face value (team convention 2).
MUST_CONFIRM = {
    ("CC1-POLICY", "reviewed-12m"),
    ("CC2-TRAINING", "completion-records"),
    ("CC3-RISK-ASSESSMENT", "documented-output"),
    ("CC5-ACCESS-REVIEW-DONE", "ticket-and-reviewers"),
    ("CC5-CHANGE-EVIDENCE", "tickets-approvals"),
}

TEAM_CLUSTERS = [
    {"CC3-RISK-ASSESSMENT", "CC3-RISK-RATING", "CC3-RISK-TREATMENT"},
    {"CC4-ACCESS-CERT", "CC5-ACCESS-REVIEW-DONE"},
    {"CC4-VENDOR-MONITORING", "CC5-VENDOR-REVIEWS", "CC9-VENDOR-REPORTS"},
    {"CC5-CHANGE-EVIDENCE", "CC8-CHANGE-PROCESS", "CC8-SOD"},
    {"CC1-BACKGROUND", "CC1-CONDUCT", "CC2-ONBOARDING"},
]


def _yaml(rel: str) -> Any:
    return yaml.safe_load((KNOWLEDGE / rel).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def controls() -> dict[str, Control]:
    parsed = ControlsFile.model_validate(_yaml("controls/cc1-cc5.yaml"))
    return {c.id: c for c in parsed.controls}


@pytest.fixture(scope="module")
def tsc() -> list[dict[str, Any]]:
    return list(_yaml("reference/tsc.yaml")["criteria"])


def test_every_cc1_to_cc5_criterion_is_covered_by_this_file(
    controls: dict[str, Control], tsc: list[dict[str, Any]]
) -> None:
    wanted = {c["id"] for c in tsc if c["group"] in OWN_GROUPS}
    covered = {crit for c in controls.values() for crit in c.criteria}
    assert wanted - covered == set()
    assert covered <= {c["id"] for c in tsc}


def test_seed_controls_match_the_contract(controls: dict[str, Control]) -> None:
    seeds = [s for s in _yaml("reference/seed_controls.yaml")["controls"] if s["group"] in OWN_GROUPS]
    assert len(seeds) == 16
    for seed in seeds:
        control = controls[seed["id"]]
        assert control.seed, seed["id"]
        assert control.group == seed["group"]
        assert control.common_gap == seed.get("common_gap")
    extra = [c for c in controls.values() if c.id not in {s["id"] for s in seeds}]
    assert all(not c.seed for c in extra)
    # Extra controls must ride along with an existing question, or the interview grows.
    assert 1 <= len(extra) <= 6
    assert all(c.ask_with for c in extra)


def test_all_controls_stay_in_their_group(controls: dict[str, Control]) -> None:
    for control in controls.values():
        assert control.id.startswith(control.group + "-")
        assert control.group in OWN_GROUPS
        assert control.category == "security"


@pytest.mark.parametrize(
    ("control_id", "requirement_id"),
    [
        ("CC1-POLICY", "reviewed-12m"),
        ("CC3-RISK-ASSESSMENT", "within-12m"),
        ("CC5-ACCESS-REVIEW-DONE", "within-period"),
        ("CC4-ACCESS-CERT", "cadence"),
    ],
)
def test_twelve_month_windows_are_data(
    controls: dict[str, Control], control_id: str, requirement_id: str
) -> None:
    req = {r.id: r for r in controls[control_id].requirements}[requirement_id]
    assert req.threshold is not None
    assert (req.threshold.kind, req.threshold.days) == ("max_age", 365)
    assert req.aspect == "cadence"


def test_recurring_activities_carry_a_minimum_frequency(controls: dict[str, Control]) -> None:
    for control_id in ("CC2-TRAINING", "CC4-VENDOR-MONITORING", "CC1-OVERSIGHT"):
        frequencies = [
            r.threshold.frequency
            for r in controls[control_id].requirements
            if r.threshold and r.threshold.kind == "min_frequency"
        ]
        assert frequencies, control_id


def test_must_confirm_only_where_the_guide_demands_evidence(controls: dict[str, Control]) -> None:
    flagged = {(c.id, r.id) for c in controls.values() for r in c.requirements if r.must_confirm}
    assert flagged == MUST_CONFIRM
    for control_id, requirement_id in MUST_CONFIRM:
        req = {r.id: r for r in controls[control_id].requirements}[requirement_id]
        assert req.aspect in ("evidence", "cadence")


def test_access_review_pair_links_both_ways(controls: dict[str, Control]) -> None:
    cert, done = controls["CC4-ACCESS-CERT"], controls["CC5-ACCESS-REVIEW-DONE"]
    assert "CC5-ACCESS-REVIEW-DONE" in cert.ask_with
    assert "CC4-ACCESS-CERT" in done.ask_with
    assert "CC4-ACCESS-CERT" in done.remediation.depends_on
    # The guide's most common finding: an invite proves scheduling, not a completed review.
    for control in (cert, done):
        assert any("calendar invite" in item.lower() for item in control.not_evidence)


def test_training_rejects_assignments_without_completion(controls: dict[str, Control]) -> None:
    assert any("no completion" in item.lower() for item in controls["CC2-TRAINING"].not_evidence)


def test_risk_chain_dependencies(controls: dict[str, Control]) -> None:
    assert "CC3-RISK-ASSESSMENT" in controls["CC3-RISK-TREATMENT"].remediation.depends_on
    assert "CC9-VENDOR-LIST" in controls["CC5-VENDOR-REVIEWS"].remediation.depends_on


def test_ask_with_is_symmetric_within_the_file(controls: dict[str, Control]) -> None:
    for control in controls.values():
        for other in control.ask_with:
            if other in controls:
                assert control.id in controls[other].ask_with, f"{control.id} -> {other}"


def test_every_control_has_a_gap_deciding_requirement_and_signals(controls: dict[str, Control]) -> None:
    for control in controls.values():
        assert any(r.aspect in ("exists", "practice") for r in control.requirements), control.id
        for req in control.requirements:
            assert req.signals, f"{control.id}.{req.id}"
            assert all(s == s.lower() for s in req.signals)


def test_keywords_are_lower_case_and_shared_only_within_a_question(controls: dict[str, Control]) -> None:
    # The interpreter attributes a sentence to the controls whose keywords it contains; a keyword two
    # controls share is only harmless when those two are asked in the same breath anyway.
    owners: dict[str, list[str]] = {}
    for control in controls.values():
        for word in control.keywords:
            assert word == word.lower(), f"{control.id}: {word}"
            owners.setdefault(word, []).append(control.id)
    for word, ids in owners.items():
        for a in ids:
            for b in ids:
                if a != b:
                    assert b in controls[a].ask_with, (
                        f"{word!r} is shared by {a} and {b}, which are asked apart"
                    )


def test_mapping_ids_exist_in_the_reference_lists(controls: dict[str, Control]) -> None:
    iso = {c["id"] for c in _yaml("reference/iso27001.yaml")["controls"]}
    csf = {c["id"] for c in _yaml("reference/nist_csf.yaml")["subcategories"]}
    for control in controls.values():
        assert set(control.iso27001) <= iso, control.id
        assert set(control.nist_csf) <= csf, control.id


def test_security_criteria_are_complete_and_in_own_words(tsc: list[dict[str, Any]]) -> None:
    criteria = CriteriaFile.model_validate(_yaml("criteria/security.yaml")).criteria
    expected = [(c["id"], c["group"]) for c in tsc if c["category"] == "security"]
    assert [(c.id, c.group) for c in criteria] == expected
    assert len(criteria) == 33
    for criterion in criteria:
        # AICPA's wording opens with "The entity ..."; ours must not read like a copy.
        assert "the entity" not in criterion.summary.lower(), criterion.id
        assert criterion.title.lower() != criterion.summary.lower()


def test_scoping_triggers_and_timing() -> None:
    scoping = Scoping.model_validate(_yaml("scoping.yaml"))
    assert scoping.always_in_scope == ["security"]
    fields = {t.category: t.profile_field for t in scoping.triggers}
    assert fields == {
        "availability": "uptime_commitments",
        "confidentiality": "confidentiality_commitments",
        "processing_integrity": "processing_integrity_commitments",
        "privacy": "privacy_commitments",
    }
    assert all(t.question.rstrip().endswith("?") for t in scoping.triggers)
    timing = scoping.timing
    assert timing.first_run_months_before >= 6
    assert timing.rerun_days_before == (30, 60)
    assert 3 <= timing.default_observation_months <= 12
    assert "3" in timing.type2 and "12" in timing.type2


def test_team_clusters_are_cliques_across_files(kb: KnowledgeBase) -> None:
    by_id = kb.control_by_id
    for cluster in TEAM_CLUSTERS:
        for member in cluster:
            assert member in by_id, member
            assert cluster - {member} <= set(by_id[member].ask_with), member
