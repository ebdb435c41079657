from __future__ import annotations

import pytest
from chromadb.utils.embedding_functions import DefaultEmbeddingFunction

from agent.retrieval import MiniLMEmbeddingFunction, embedding_name, make_embedding_function
from agent.retrieval.index import collection_name
from agent.settings import Settings


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_default_is_the_bundled_minilm_and_it_loads_only_when_used() -> None:
    function = make_embedding_function(_settings())
    assert isinstance(function, MiniLMEmbeddingFunction)
    assert not function.loaded


def test_chroma_default_and_openai_are_selectable() -> None:
    assert isinstance(
        make_embedding_function(_settings(embedding="chroma-default")), DefaultEmbeddingFunction
    )
    with pytest.raises(ValueError, match="EMBEDDING_API_KEY"):
        make_embedding_function(_settings(embedding="openai"))


def test_each_embedding_gets_its_own_name_and_collection() -> None:
    names = {embedding_name(_settings(embedding=e)) for e in ("minilm", "chroma-default", "openai")}
    assert len(names) == 3
    assert len({collection_name(n) for n in names}) == 3
    assert embedding_name(
        _settings(embedding="openai", embedding_api_model="text-embedding-3-large")
    ).endswith("large")
