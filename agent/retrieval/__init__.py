"""Hybrid retrieval over the knowledge base: a Chroma index plus exact id and jargon matching."""

from agent.retrieval.build import IndexHandle, build_index, build_retriever
from agent.retrieval.chunks import Chunk, chunk_knowledge
from agent.retrieval.embedding import MiniLMEmbeddingFunction, embedding_name, make_embedding_function
from agent.retrieval.index import BuildStats
from agent.retrieval.retriever import Hit, Retriever, Weights
from agent.retrieval.store import make_chroma_client

__all__ = [
    "BuildStats",
    "Chunk",
    "Hit",
    "IndexHandle",
    "MiniLMEmbeddingFunction",
    "Retriever",
    "Weights",
    "build_index",
    "build_retriever",
    "chunk_knowledge",
    "embedding_name",
    "make_chroma_client",
    "make_embedding_function",
]
