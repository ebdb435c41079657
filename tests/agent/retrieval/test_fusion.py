from __future__ import annotations

import pytest

from agent.retrieval.fusion import matches_where, reciprocal_rank_fusion


def test_rrf_rewards_agreement_and_weight() -> None:
    scores = reciprocal_rank_fusion([(["a", "b", "c"], 1.0), (["b", "c"], 1.0)], k=10)
    assert max(scores, key=scores.__getitem__) == "b"
    heavy = reciprocal_rank_fusion([(["a", "b"], 1.0), (["b"], 0.1), (["c"], 5.0)], k=10)
    assert sorted(heavy, key=lambda i: -heavy[i]) == ["c", "b", "a"]


def test_rrf_counts_an_id_once_per_list() -> None:
    assert reciprocal_rank_fusion([(["a", "a", "b"], 1.0)], k=0) == {"a": 1.0, "b": 0.5}


def test_where_grammar() -> None:
    meta = {"kind": "control", "group": "CC6", "category": "security"}
    assert matches_where(meta, None)
    assert matches_where(meta, {"group": "CC6"})
    assert not matches_where(meta, {"group": "CC7"})
    assert matches_where(meta, {"group": {"$in": ["CC6", "CC7"]}})
    assert not matches_where(meta, {"group": {"$nin": ["CC6"]}})
    assert matches_where(meta, {"$and": [{"kind": "control"}, {"category": {"$ne": "privacy"}}]})
    assert matches_where(meta, {"$or": [{"kind": "criterion"}, {"group": {"$eq": "CC6"}}]})
    assert not matches_where(meta, {"$or": [{"kind": "criterion"}, {"group": "CC1"}]})
    with pytest.raises(ValueError):
        matches_where(meta, {"group": {"$gt": 1}})
