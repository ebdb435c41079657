"""Hybrid retrieval: vector search over the chunks, fused with exact id and jargon matches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from agent.kb import KnowledgeBase
from agent.retrieval.bm25 import Bm25
from agent.retrieval.fusion import matches_where, reciprocal_rank_fusion
from agent.retrieval.index import BuildStats
from agent.retrieval.lexical import LexicalMatcher

HitKind = Literal["control", "criterion"]
SNIPPET_CHARS = 180
# How many chunks the vector side reads: enough to rank every control with a few sections each.
VECTOR_DEPTH = 60


@dataclass(frozen=True)
class Hit:
    id: str
    kind: HitKind
    score: float
    snippet: str
    title: str = ""
    # What put it here, strongest first: "id", "mapped-id", "keyword:<word>", "vector:<best section>".
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def control_id(self) -> str | None:
        return self.id if self.kind == "control" else None


@dataclass(frozen=True)
class Weights:
    """Weights of each ranked list in the fusion; tuned on evals/retrieval/queries.yaml."""

    vector: float = 1.0
    # Measured on the eval: any positive weight lowered MRR (0.904 at 0, 0.898 at 0.15, 0.884 at 0.3): a gap
    # names several controls at once, so it blurs the ranking more than it informs it.
    gap: float = 0.0
    keyword: float = 1.2
    exact_id: float = 10.0
    mapped_id: float = 1.5
    # Half the vector weight: at 1.0 single shared words started outranking meaning (recall 0.966 vs 0.992).
    bm25: float = 0.5


@dataclass
class _VectorResult:
    control_rank: list[str] = field(default_factory=list)
    criterion_rank: list[str] = field(default_factory=list)
    gap_controls: list[str] = field(default_factory=list)
    snippets: dict[str, str] = field(default_factory=dict)
    best_section: dict[str, str] = field(default_factory=dict)


class Retriever:
    def __init__(
        self,
        collection: Collection,
        kb: KnowledgeBase,
        *,
        hybrid: bool = True,
        weights: Weights | None = None,
    ) -> None:
        self.collection = collection
        self.kb = kb
        self.hybrid = hybrid
        self.weights = weights or Weights()
        self._lexical = LexicalMatcher(kb)
        self._bm25 = Bm25(kb)
        # Set by build_retriever: what the last sync did, and the client that must outlive the collection.
        self.build_stats: BuildStats | None = None
        self.client: ClientAPI | None = None
        self._size: int | None = None

    def search(self, text: str, k: int = 5, where: Mapping[str, Any] | None = None) -> list[Hit]:
        """Ranked controls and criteria together, best first."""
        hits = self._rank(text, where)
        return sorted(hits, key=lambda h: -h.score)[:k]

    def search_controls(self, text: str, k: int = 5, where: Mapping[str, Any] | None = None) -> list[str]:
        """Distinct control ids, best first."""
        return [h.id for h in self.control_hits(text, k, where)]

    def control_hits(self, text: str, k: int = 5, where: Mapping[str, Any] | None = None) -> list[Hit]:
        hits = [h for h in self._rank(text, where) if h.kind == "control"]
        return sorted(hits, key=lambda h: -h.score)[:k]

    def _rank(self, text: str, where: Mapping[str, Any] | None) -> list[Hit]:
        if not text.strip():
            return []
        vec = self._vector(text, where)
        w = self.weights
        control_lists: list[tuple[list[str], float]] = [
            (vec.control_rank, w.vector),
            (vec.gap_controls, w.gap),
        ]
        criterion_lists: list[tuple[list[str], float]] = [(vec.criterion_rank, w.vector)]
        reasons: dict[str, list[str]] = {}
        if self.hybrid:
            ids = self._lexical.match_ids(text)
            vector_order = {c: i for i, c in enumerate(vec.control_rank)}
            # Many controls can map one criterion or ISO id; the rest of the query decides among them.
            mapped = sorted(ids.mapped, key=lambda c: vector_order.get(c, len(vector_order)))
            keywords = self._lexical.match_keywords(text)
            keyword_rank = sorted(
                keywords, key=lambda c: (-keywords[c][0], vector_order.get(c, len(vector_order)))
            )
            control_lists += [
                (ids.controls, w.exact_id),
                (mapped, w.mapped_id),
                (keyword_rank, w.keyword),
                (self._bm25.rank(text), w.bm25),
            ]
            criterion_lists.append((ids.criteria, w.exact_id))
            for c in ids.controls:
                reasons.setdefault(c, []).append("id")
            for c in mapped:
                reasons.setdefault(c, []).append("mapped-id")
            for c, (_, found) in keywords.items():
                reasons.setdefault(c, []).extend(f"keyword:{kw}" for kw in sorted(found))
        for c, section in vec.best_section.items():
            reasons.setdefault(c, []).append(f"vector:{section}")
        control_scores = reciprocal_rank_fusion(control_lists)
        criterion_scores = reciprocal_rank_fusion(criterion_lists)
        hits = [
            self._control_hit(c, s, vec, reasons.get(c, []))
            for c, s in control_scores.items()
            if c in self.kb.control_by_id and matches_where(self._control_meta(c), where)
        ]
        hits += [
            self._criterion_hit(c, s, c in vec.criterion_rank)
            for c, s in criterion_scores.items()
            if c in self.kb.criterion_by_id and matches_where(self._criterion_meta(c), where)
        ]
        return hits

    def _vector(self, text: str, where: Mapping[str, Any] | None) -> _VectorResult:
        result = _VectorResult()
        if self._size is None:
            self._size = self.collection.count()
        n = min(VECTOR_DEPTH, self._size)
        if n == 0:
            return result
        found = self.collection.query(
            query_texts=[text],
            n_results=n,
            where=dict(where) if where else None,
            include=["metadatas", "documents"],  # type: ignore[list-item]
        )
        metadatas = (found["metadatas"] or [[]])[0]
        documents = (found["documents"] or [[]])[0]
        for meta, doc in zip(metadatas, documents, strict=False):
            kind = str(meta.get("kind"))
            if kind == "control":
                control_id = str(meta["control_id"])
                # A control ranks by its best section; later sections of it add nothing.
                if control_id not in result.best_section:
                    result.control_rank.append(control_id)
                    result.best_section[control_id] = str(meta.get("section"))
                    result.snippets[control_id] = _without_title(doc)
            elif kind == "criterion":
                result.criterion_rank.append(str(meta["criteria"]))
            elif kind == "common_gap" and self.weights.gap > 0:
                result.gap_controls.extend(str(meta["control_id"]).split(","))
        return result

    def _control_meta(self, control_id: str) -> dict[str, Any]:
        c = self.kb.control_by_id[control_id]
        return {
            "kind": "control",
            "control_id": c.id,
            "criteria": ",".join(c.criteria),
            "group": c.group,
            "category": c.category,
        }

    def _criterion_meta(self, criterion_id: str) -> dict[str, Any]:
        c = self.kb.criterion_by_id[criterion_id]
        return {
            "kind": "criterion",
            "control_id": "",
            "criteria": c.id,
            "group": c.group,
            "category": c.category,
        }

    def _control_hit(self, control_id: str, score: float, vec: _VectorResult, reasons: list[str]) -> Hit:
        control = self.kb.control_by_id[control_id]
        return Hit(
            id=control_id,
            kind="control",
            score=round(score, 5),
            snippet=_shorten(vec.snippets.get(control_id) or control.question),
            title=control.title,
            reasons=tuple(dict.fromkeys(reasons)),
        )

    def _criterion_hit(self, criterion_id: str, score: float, from_vector: bool) -> Hit:
        criterion = self.kb.criterion_by_id[criterion_id]
        return Hit(
            id=criterion_id,
            kind="criterion",
            score=round(score, 5),
            snippet=_shorten(criterion.summary),
            title=criterion.title,
            reasons=("vector:summary",) if from_vector else ("id",),
        )


def _without_title(document: str) -> str:
    """Chunks open with the control title so they embed in context; the hit carries the title apart."""
    _, _, rest = document.partition("\n")
    return rest or document


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"
