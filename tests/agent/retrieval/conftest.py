from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from typing import Any

import pytest
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from agent.kb import KnowledgeBase, load_knowledge
from tests.agent.retrieval.kb_builder import write_knowledge


class HashingEmbedding(EmbeddingFunction[Documents]):
    """Deterministic bag-of-words vectors: texts sharing words are close. Counts what it embeds."""

    DIM = 256

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def __call__(self, input: Documents) -> Embeddings:
        self.embedded.extend(input)
        out = []
        for text in input:
            vec = [0.0] * self.DIM
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.DIM] += 1.0
            norm = math.sqrt(sum(v * v for v in vec)) or 1.0
            out.append([v / norm for v in vec])
        return out  # type: ignore[return-value]

    @staticmethod
    def name() -> str:
        return "test-hashing"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashingEmbedding:
        return HashingEmbedding()


@pytest.fixture
def fake_embedding() -> HashingEmbedding:
    return HashingEmbedding()


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    return write_knowledge(tmp_path / "knowledge")


@pytest.fixture
def small_kb(kb_root: Path) -> KnowledgeBase:
    return load_knowledge(kb_root)
