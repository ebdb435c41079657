"""Entry points: bring the index up to date and hand back a Retriever over it."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction

from agent.kb import KnowledgeBase
from agent.retrieval.chunks import chunk_knowledge
from agent.retrieval.embedding import embedding_name, make_embedding_function
from agent.retrieval.index import BuildStats, ensure_index
from agent.retrieval.retriever import Retriever, Weights
from agent.retrieval.store import ClientFactory, make_chroma_client
from agent.settings import Settings


@dataclass
class IndexHandle:
    client: ClientAPI
    collection: Collection
    stats: BuildStats
    embedding: str


def build_index(
    settings: Settings,
    kb: KnowledgeBase,
    *,
    embedding_function: EmbeddingFunction[Documents] | None = None,
    embedding: str | None = None,
    client_factory: ClientFactory = make_chroma_client,
) -> IndexHandle:
    """Syncs the index with `kb`; only chunks whose content hash changed are embedded again.

    `embedding_function` and `embedding` (its name, part of every hash) replace the ones Settings picks.
    """
    function = embedding_function or make_embedding_function(settings)
    name = embedding or (embedding_name(settings) if embedding_function is None else _custom_name(function))
    with _build_lock(settings):
        client, collection, stats = ensure_index(
            settings, chunk_knowledge(kb), name, function, client_factory
        )
    return IndexHandle(client=client, collection=collection, stats=stats, embedding=name)


def build_retriever(
    settings: Settings,
    kb: KnowledgeBase,
    *,
    embedding_function: EmbeddingFunction[Documents] | None = None,
    embedding: str | None = None,
    client_factory: ClientFactory = make_chroma_client,
    hybrid: bool = True,
    weights: Weights | None = None,
) -> Retriever:
    handle = build_index(
        settings,
        kb,
        embedding_function=embedding_function,
        embedding=embedding,
        client_factory=client_factory,
    )
    retriever = Retriever(handle.collection, kb, hybrid=hybrid, weights=weights)
    retriever.build_stats = handle.stats
    retriever.client = handle.client
    return retriever


@contextmanager
def _build_lock(settings: Settings) -> Iterator[None]:
    """Several workers start at once; only one may sync the index while the others wait for it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "index.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _custom_name(function: EmbeddingFunction[Documents]) -> str:
    try:
        name = function.name()
    except Exception:  # a bare callable without name() still gets a stable space name
        name = NotImplemented
    return str(name) if name is not NotImplemented else type(function).__name__
