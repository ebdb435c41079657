"""Turns the knowledge base into the chunks the index stores, each with a content hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Literal

from agent.kb import KnowledgeBase
from agent.kb.models import CommonGap, Control, Criterion

ChunkKind = Literal["control", "criterion", "common_gap"]
Metadata = dict[str, str | int | float | bool]
HASH_KEY = "content_hash"


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    # Chroma metadata is scalar, so lists (criteria, a gap's controls) are comma-joined strings.
    metadata: Metadata = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return str(self.metadata["kind"])

    def content_hash(self, embedding: str) -> str:
        payload = json.dumps([self.text, self.metadata, embedding], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _meta(
    kind: ChunkKind, section: str, control_id: str, criteria: list[str], group: str, category: str
) -> Metadata:
    return {
        "kind": kind,
        "section": section,
        "control_id": control_id,
        "criteria": ",".join(criteria),
        "group": group,
        "category": category,
    }


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def control_chunks(control: Control) -> list[Chunk]:
    meta = _meta("control", "", control.id, control.criteria, control.group, control.category)
    # The title leads every section so that a section read alone still says which control it is.
    head = f"{control.title}."
    also_called = ", ".join(control.keywords)
    sections = {
        "question": f"{head}\n{control.question}\n{control.follow_up}\nAlso called: {also_called}",
        "requirements": f"{head}\n{_lines([r.text for r in control.requirements])}",
        "evidence": f"{head} Evidence an auditor accepts:\n{_lines(control.evidence)}",
        "remediation": f"{head} How to put it in place:\n{_lines(control.remediation.steps)}",
    }
    return [
        Chunk(id=f"control:{control.id}:{section}", text=text, metadata={**meta, "section": section})
        for section, text in sections.items()
    ]


def criterion_chunk(criterion: Criterion) -> Chunk:
    text = (
        f"{criterion.id} {criterion.title}.\n{criterion.summary}\n"
        f"Auditors look at:\n{_lines(criterion.auditor_examines)}"
    )
    meta = _meta("criterion", "summary", "", [criterion.id], criterion.group, criterion.category)
    return Chunk(id=f"criterion:{criterion.id}", text=text, metadata=meta)


def gap_chunk(gap: CommonGap, kb: KnowledgeBase) -> Chunk:
    controls = [kb.control_by_id[c] for c in gap.control_ids if c in kb.control_by_id]
    criteria = sorted({crit for c in controls for crit in c.criteria})
    groups = sorted({c.group for c in controls})
    categories = sorted({c.category for c in controls})
    text = f"{gap.title}.\n{gap.why_flagged}\nWhat closes it:\n{_lines(gap.evidence_that_closes)}"
    meta = _meta(
        "common_gap", "gap", ",".join(gap.control_ids), criteria, ",".join(groups), ",".join(categories)
    )
    return Chunk(id=f"gap:{gap.rank}", text=text, metadata={**meta, "rank": gap.rank})


def chunk_knowledge(kb: KnowledgeBase) -> list[Chunk]:
    chunks = [criterion_chunk(c) for c in kb.criteria]
    for control in kb.controls:
        chunks.extend(control_chunks(control))
    chunks.extend(gap_chunk(g, kb) for g in kb.common_gaps)
    return chunks
