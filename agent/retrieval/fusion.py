"""Reciprocal rank fusion, and Chroma's `where` grammar applied to results that did not come from Chroma."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# The usual RRF constant is 60; the lists here are short (tens of controls), so a smaller one keeps the
# top of each list decisive.
RRF_K = 10


def reciprocal_rank_fusion(
    rankings: Sequence[tuple[Sequence[str], float]], k: int = RRF_K
) -> dict[str, float]:
    """Each ranking is (ids best first, weight); an id scores sum(weight / (k + rank))."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, item in enumerate(dict.fromkeys(ids), start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def matches_where(metadata: Mapping[str, Any], where: Mapping[str, Any] | None) -> bool:
    """The subset of Chroma's metadata filter the retriever passes on: $and/$or, $eq/$ne/$in/$nin."""
    if not where:
        return True
    for key, condition in where.items():
        if key == "$and":
            if not all(matches_where(metadata, part) for part in condition):
                return False
        elif key == "$or":
            if not any(matches_where(metadata, part) for part in condition):
                return False
        elif not _matches_field(metadata.get(key), condition):
            return False
    return True


def _matches_field(value: Any, condition: Any) -> bool:
    if not isinstance(condition, Mapping):
        return bool(value == condition)
    for op, operand in condition.items():
        if op == "$eq" and value != operand:
            return False
        if op == "$ne" and value == operand:
            return False
        if op == "$in" and value not in operand:
            return False
        if op == "$nin" and value in operand:
            return False
        if op not in ("$eq", "$ne", "$in", "$nin"):
            raise ValueError(f"unsupported filter operator {op}")
    return True
