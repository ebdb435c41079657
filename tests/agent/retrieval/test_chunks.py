from __future__ import annotations

from agent.kb import KnowledgeBase
from agent.retrieval.chunks import Chunk, chunk_knowledge


def test_one_chunk_per_criterion_four_per_control_one_per_gap(small_kb: KnowledgeBase) -> None:
    chunks = chunk_knowledge(small_kb)
    kinds = [c.kind for c in chunks]
    assert kinds.count("criterion") == len(small_kb.criteria)
    assert kinds.count("control") == 4 * len(small_kb.controls)
    assert kinds.count("common_gap") == len(small_kb.common_gaps)
    assert len({c.id for c in chunks}) == len(chunks)
    sections = {c.metadata["section"] for c in chunks if c.kind == "control"}
    assert sections == {"question", "requirements", "evidence", "remediation"}


def test_metadata_is_scalar_and_filterable(small_kb: KnowledgeBase) -> None:
    chunks = {c.id: c for c in chunk_knowledge(small_kb)}
    mfa = chunks["control:CC6-MFA-PROD:requirements"].metadata
    assert mfa["control_id"] == "CC6-MFA-PROD"
    assert mfa["criteria"] == "CC6.1,CC6.2"
    assert (mfa["group"], mfa["category"], mfa["kind"]) == ("CC6", "security", "control")
    assert chunks["criterion:CC7.2"].metadata["criteria"] == "CC7.2"
    gap = next(
        c
        for c in chunks.values()
        if c.kind == "common_gap" and "CC6-MFA-PROD" in str(c.metadata["control_id"])
    )
    assert gap.metadata["control_id"] == "CC6-MFA-PROD,CC6-MFA-EMAIL"
    for chunk in chunks.values():
        assert all(isinstance(v, str | int | float | bool) for v in chunk.metadata.values())


def test_question_chunk_carries_the_jargon(small_kb: KnowledgeBase) -> None:
    chunks = {c.id: c for c in chunk_knowledge(small_kb)}
    assert "tabletop" in chunks["control:CC7-IR-TEST:question"].text


def test_hash_changes_with_text_metadata_or_embedding_and_nothing_else() -> None:
    base = Chunk(id="x", text="MFA everywhere", metadata={"kind": "control", "group": "CC6"})
    same = Chunk(id="x", text="MFA everywhere", metadata={"group": "CC6", "kind": "control"})
    assert base.content_hash("e1") == same.content_hash("e1")
    assert base.content_hash("e1") != base.content_hash("e2")
    assert base.content_hash("e1") != Chunk(
        id="x", text="MFA almost everywhere", metadata=base.metadata
    ).content_hash("e1")
    assert base.content_hash("e1") != Chunk(
        id="x", text=base.text, metadata={"kind": "control", "group": "CC7"}
    ).content_hash("e1")
