"""Fixtures for graph tests: an engine over the small KB with the scripted interpreter (see scripted.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.engine import Engine
from agent.nodes.base import GraphDeps
from agent.settings import Settings
from tests.agent.graph.scripted import TODAY, FakeRetriever, ScriptedInterpreter, mini_kb


@pytest.fixture
def graph_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", llm="offline", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def interpreter() -> ScriptedInterpreter:
    return ScriptedInterpreter()


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever(["CC6-OFFBOARD", "CC1-ROLES"])


@pytest.fixture
def engine(
    graph_settings: Settings, interpreter: ScriptedInterpreter, retriever: FakeRetriever
) -> Iterator[Engine]:
    deps = GraphDeps(
        kb=mini_kb(),
        interpreter=interpreter,
        settings=graph_settings,
        retriever=retriever,
        clock=lambda: TODAY,
    )
    yield Engine.create(deps, InMemorySaver())
