"""Fusion behaviour of the Retriever, with the deterministic fake embedding (no model)."""

from __future__ import annotations

import pytest

from agent.kb import KnowledgeBase
from agent.retrieval import Retriever, build_retriever
from agent.settings import Settings
from tests.agent.retrieval.conftest import HashingEmbedding


@pytest.fixture
def retriever(settings: Settings, small_kb: KnowledgeBase, fake_embedding: HashingEmbedding) -> Retriever:
    return build_retriever(settings, small_kb, embedding_function=fake_embedding)


@pytest.fixture
def vector_only(settings: Settings, small_kb: KnowledgeBase, fake_embedding: HashingEmbedding) -> Retriever:
    return build_retriever(settings, small_kb, embedding_function=fake_embedding, hybrid=False)


def test_exact_control_id_comes_first(retriever: Retriever) -> None:
    hits = retriever.search("status of cc7-ir-test please")
    assert hits[0].id == "CC7-IR-TEST" and hits[0].kind == "control"
    assert "id" in hits[0].reasons


def test_criterion_id_returns_the_criterion_and_the_controls_mapping_it(retriever: Retriever) -> None:
    hits = retriever.search("CC7.2", k=5)
    assert ("CC7.2", "criterion") in {(h.id, h.kind) for h in hits}
    assert retriever.search_controls("CC7.2", k=3)[0] == "CC7-MONITORING"


def test_iso_and_csf_ids_lead_to_the_mapped_control(retriever: Retriever) -> None:
    assert retriever.search_controls("Annex A A.8.5", k=1) == ["CC6-MFA-PROD"]
    assert retriever.search_controls("PR.AA-03", k=1) == ["CC6-MFA-PROD"]


def test_jargon_beats_the_vector_side_alone(retriever: Retriever, vector_only: Retriever) -> None:
    query = "we hold a CAB"
    assert retriever.search_controls(query, k=1) == ["CC8-CHANGE-PROCESS"]
    assert "CC8-CHANGE-PROCESS" not in vector_only.search_controls(query, k=1)


def test_results_are_distinct_ranked_and_capped(retriever: Retriever) -> None:
    hits = retriever.search("2FA on every production system and SIEM alerting", k=7)
    assert len(hits) == 7
    assert len({(h.id, h.kind) for h in hits}) == 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    controls = retriever.search_controls("2FA on every production system and SIEM alerting", k=4)
    assert len(controls) == len(set(controls)) == 4
    assert {"CC6-MFA-PROD", "CC7-MONITORING"} <= set(controls)


def test_where_filters_vector_and_exact_hits_alike(retriever: Retriever) -> None:
    hits = retriever.search("CC6-MFA-PROD tabletop", k=10, where={"group": "CC7"})
    assert hits and all(h.id.startswith("CC7") for h in hits)
    criteria_only = retriever.search("monitoring CC7-MONITORING", k=5, where={"kind": "criterion"})
    assert criteria_only and all(h.kind == "criterion" for h in criteria_only)


def test_snippets_are_short_and_blank_queries_return_nothing(retriever: Retriever) -> None:
    assert all(len(h.snippet) <= 180 for h in retriever.search("incident response", k=10))
    assert retriever.search("   ") == []


def test_build_stats_are_exposed(retriever: Retriever) -> None:
    assert retriever.build_stats is not None and retriever.build_stats.added > 0
