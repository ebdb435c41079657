"""Incremental sync and recovery, on a real PersistentClient with the deterministic fake embedding."""

from __future__ import annotations

from pathlib import Path

import yaml

from agent.kb import load_knowledge
from agent.retrieval import build_index
from agent.retrieval.chunks import chunk_knowledge
from agent.settings import Settings
from tests.agent.retrieval.conftest import HashingEmbedding


def _build(settings: Settings, root: Path, embedding: HashingEmbedding):  # type: ignore[no-untyped-def]
    return build_index(settings, load_knowledge(root), embedding_function=embedding)


def _edit_control(root: Path, control_id: str, **changes: object) -> None:
    path = root / "controls" / "security.yaml"
    data = yaml.safe_load(path.read_text())
    for control in data["controls"]:
        if control["id"] == control_id:
            control.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_cold_build_adds_everything_then_warm_build_embeds_nothing(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    cold = _build(settings, kb_root, fake_embedding)
    total = len(chunk_knowledge(load_knowledge(kb_root)))
    assert (cold.stats.added, cold.stats.updated, cold.stats.deleted) == (total, 0, 0)
    assert cold.collection.count() == total
    embedded = len(fake_embedding.embedded)

    warm = _build(settings, kb_root, fake_embedding)
    assert (warm.stats.added, warm.stats.updated, warm.stats.deleted, warm.stats.unchanged) == (
        0,
        0,
        0,
        total,
    )
    assert len(fake_embedding.embedded) == embedded
    assert not warm.stats.rebuilt


def test_yaml_edit_reembeds_only_the_changed_section(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    _build(settings, kb_root, fake_embedding)
    fake_embedding.embedded.clear()
    _edit_control(kb_root, "CC7-IR-TEST", question="Have you rehearsed a breach with the team this year?")

    after = _build(settings, kb_root, fake_embedding)
    assert (after.stats.added, after.stats.updated, after.stats.deleted) == (0, 1, 0)
    assert len(fake_embedding.embedded) == 1 and "rehearsed a breach" in fake_embedding.embedded[0]
    stored = after.collection.get(ids=["control:CC7-IR-TEST:question"], include=["documents"])  # type: ignore[list-item]
    assert "rehearsed a breach" in (stored["documents"] or [""])[0]


def test_metadata_edit_updates_every_chunk_of_that_control(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    _build(settings, kb_root, fake_embedding)
    _edit_control(kb_root, "CC7-MONITORING", criteria=["CC7.2", "CC7.3"])
    after = _build(settings, kb_root, fake_embedding)
    assert after.stats.updated == 4
    got = after.collection.get(where={"control_id": "CC7-MONITORING"}, include=["metadatas"])  # type: ignore[list-item]
    assert {m["criteria"] for m in got["metadatas"] or []} == {"CC7.2,CC7.3"}


def test_removed_control_chunks_are_deleted(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    _build(settings, kb_root, fake_embedding)
    path = kb_root / "controls" / "other.yaml"
    data = yaml.safe_load(path.read_text())
    data["controls"] = [c for c in data["controls"] if c["id"] != "A1-NO-SPOF"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    seeds = kb_root / "reference" / "seed_controls.yaml"
    ref = yaml.safe_load(seeds.read_text())
    ref["controls"] = [c for c in ref["controls"] if c["id"] != "A1-NO-SPOF"]
    seeds.write_text(yaml.safe_dump(ref, sort_keys=False))

    after = _build(settings, kb_root, fake_embedding)
    assert after.stats.deleted == 4
    assert after.collection.get(where={"control_id": "A1-NO-SPOF"})["ids"] == []


def test_garbage_sqlite_is_rebuilt(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    first = _build(settings, kb_root, fake_embedding)
    first.client.close()  # type: ignore[attr-defined]
    (settings.chroma_dir / "chroma.sqlite3").write_bytes(b"this is not sqlite" * 512)

    again = _build(settings, kb_root, fake_embedding)
    assert again.stats.rebuilt
    assert again.stats.added == first.stats.added
    assert again.collection.count() == first.stats.added


def test_garbage_sqlite_while_a_client_is_open_in_process(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    first = _build(settings, kb_root, fake_embedding)
    (settings.chroma_dir / "chroma.sqlite3").write_bytes(b"\0garbage" * 4096)
    again = _build(settings, kb_root, fake_embedding)
    assert again.collection.count() == first.stats.added


def test_deleted_sqlite_file_is_rebuilt(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    first = _build(settings, kb_root, fake_embedding)
    first.client.close()  # type: ignore[attr-defined]
    (settings.chroma_dir / "chroma.sqlite3").unlink()

    again = _build(settings, kb_root, fake_embedding)
    assert again.stats.added == first.stats.added
    assert again.collection.count() == first.stats.added


def test_index_path_that_is_a_file_or_missing(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    settings.chroma_dir.parent.mkdir(parents=True)
    settings.chroma_dir.write_text("not a directory")
    built = _build(settings, kb_root, fake_embedding)
    assert built.collection.count() == built.stats.added > 0


def test_deleted_sqlite_while_a_client_is_open_in_process(
    settings: Settings, kb_root: Path, fake_embedding: HashingEmbedding
) -> None:
    first = _build(settings, kb_root, fake_embedding)
    (settings.chroma_dir / "chroma.sqlite3").unlink()
    again = _build(settings, kb_root, fake_embedding)
    assert again.stats.added == first.stats.added
    assert (settings.chroma_dir / "chroma.sqlite3").exists()
