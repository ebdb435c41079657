"""Keeps a Chroma collection equal to the knowledge base, touching only chunks whose hash changed."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction

from agent.retrieval.chunks import HASH_KEY, Chunk
from agent.retrieval.store import INDEX_ERRORS, ClientFactory, wipe_index
from agent.settings import Settings

log = logging.getLogger(__name__)
UPSERT_BATCH = 256


@dataclass
class BuildStats:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    # True when the directory was unusable and the index was rebuilt from nothing.
    rebuilt: bool = False

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "total": self.total}


def collection_name(embedding: str) -> str:
    # One collection per vector space: switching embeddings never mixes dimensions.
    return f"soc2gap-kb-{embedding}".replace("/", "-")[:500]


def open_collection(
    client: ClientAPI, embedding: str, embedding_function: EmbeddingFunction[Documents]
) -> Collection:
    return client.get_or_create_collection(
        collection_name(embedding),
        embedding_function=embedding_function,  # type: ignore[arg-type]
        configuration={"hnsw": {"space": "cosine"}},
    )


def sync_collection(collection: Collection, chunks: Sequence[Chunk], embedding: str) -> BuildStats:
    stats = BuildStats()
    wanted = {c.id: (c, c.content_hash(embedding)) for c in chunks}
    existing = collection.get(include=["metadatas"])  # type: ignore[list-item]
    stored: dict[str, str] = {}
    for chunk_id, meta in zip(existing["ids"], existing["metadatas"] or [], strict=False):
        stored[chunk_id] = str((meta or {}).get(HASH_KEY, ""))

    stale = [chunk_id for chunk_id in stored if chunk_id not in wanted]
    changed: list[tuple[Chunk, str]] = []
    for chunk_id, (chunk, digest) in wanted.items():
        if chunk_id not in stored:
            stats.added += 1
            changed.append((chunk, digest))
        elif stored[chunk_id] != digest:
            stats.updated += 1
            changed.append((chunk, digest))
        else:
            stats.unchanged += 1

    if stale:
        collection.delete(ids=stale)
        stats.deleted = len(stale)
    for start in range(0, len(changed), UPSERT_BATCH):
        batch = changed[start : start + UPSERT_BATCH]
        collection.upsert(
            ids=[c.id for c, _ in batch],
            documents=[c.text for c, _ in batch],
            metadatas=[{**c.metadata, HASH_KEY: digest} for c, digest in batch],
        )
    return stats


def ensure_index(
    settings: Settings,
    chunks: Sequence[Chunk],
    embedding: str,
    embedding_function: EmbeddingFunction[Documents],
    client_factory: ClientFactory,
) -> tuple[ClientAPI, Collection, BuildStats]:
    """Opens (or creates) the index and syncs it; an unreadable directory is wiped and rebuilt once."""
    started = time.perf_counter()
    client: ClientAPI | None = None
    try:
        client = client_factory(settings)
        collection = open_collection(client, embedding, embedding_function)
        stats = sync_collection(collection, chunks, embedding)
    except INDEX_ERRORS as exc:
        log.warning("chroma index at %s is unusable (%s); rebuilding it", settings.chroma_dir, exc)
        wipe_index(settings, client)
        client = client_factory(settings)
        collection = open_collection(client, embedding, embedding_function)
        stats = sync_collection(collection, chunks, embedding)
        stats.rebuilt = True
    stats.seconds = round(time.perf_counter() - started, 4)
    return client, collection, stats
