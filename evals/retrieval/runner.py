"""Scores a Retriever against labelled queries: recall@k, MRR, and every miss spelled out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import BaseModel, Field

DEFAULT_QUERIES = Path(__file__).resolve().parent / "queries.yaml"
DEFAULT_THRESHOLDS = Path(__file__).resolve().parent.parent / "thresholds.yaml"


class ControlSearch(Protocol):
    def search_controls(self, text: str, k: int = 5) -> list[str]: ...


class LabelledQuery(BaseModel):
    query: str = Field(min_length=1)
    relevant: list[str] = Field(min_length=1)


class QueriesFile(BaseModel):
    queries: list[LabelledQuery] = Field(min_length=1)


@dataclass
class QueryResult:
    query: str
    relevant: list[str]
    retrieved: list[str]
    recall: float
    # 1-based rank of the first relevant control, 0 when none is in the ranking read.
    first_rank: int

    @property
    def missed(self) -> list[str]:
        return [r for r in self.relevant if r not in self.retrieved[:5]]


@dataclass
class RetrievalScore:
    k: int
    recall_at_k: float
    mrr: float
    results: list[QueryResult] = field(default_factory=list)

    @property
    def misses(self) -> list[QueryResult]:
        return [r for r in self.results if r.recall < 1.0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            f"recall_at_{self.k}": round(self.recall_at_k, 4),
            "mrr": round(self.mrr, 4),
            "queries": len(self.results),
            "misses": [{**asdict(r), "missed": r.missed} for r in self.misses],
        }


def load_queries(path: Path = DEFAULT_QUERIES) -> list[LabelledQuery]:
    return QueriesFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).queries


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> dict[str, float]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    section = data["retrieval"]
    return {"min_recall_at_5": float(section["min_recall_at_5"]), "min_mrr": float(section["min_mrr"])}


def unknown_labels(queries: list[LabelledQuery], control_ids: set[str]) -> list[str]:
    return sorted({r for q in queries for r in q.relevant if r not in control_ids})


def evaluate(
    retriever: ControlSearch, queries: list[LabelledQuery], k: int = 5, depth: int = 20
) -> RetrievalScore:
    """recall@k is the share of a query's relevant controls in its top k; MRR reads `depth` deep."""
    results: list[QueryResult] = []
    for q in queries:
        ranked = retriever.search_controls(q.query, k=max(k, depth))
        top = ranked[:k]
        recall = sum(1 for r in q.relevant if r in top) / len(q.relevant)
        first = next((i for i, c in enumerate(ranked, start=1) if c in q.relevant), 0)
        results.append(QueryResult(q.query, list(q.relevant), ranked[:k], recall, first))
    n = len(results) or 1
    return RetrievalScore(
        k=k,
        recall_at_k=sum(r.recall for r in results) / n,
        mrr=sum(1 / r.first_rank for r in results if r.first_rank) / n,
        results=results,
    )


def failures(score: RetrievalScore, thresholds: dict[str, float]) -> list[str]:
    problems = []
    if score.recall_at_k < thresholds["min_recall_at_5"]:
        problems.append(f"recall@{score.k} {score.recall_at_k:.3f} < {thresholds['min_recall_at_5']}")
    if score.mrr < thresholds["min_mrr"]:
        problems.append(f"MRR {score.mrr:.3f} < {thresholds['min_mrr']}")
    return problems
