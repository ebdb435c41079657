"""Wiring: the one place that builds the engine's real parts from Settings."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.checkpoint import open_checkpointer
from agent.engine import Engine
from agent.interpret.base import Interpreter
from agent.kb import KnowledgeBase, load_knowledge
from agent.nodes.base import GraphDeps, Retriever
from agent.settings import Settings

logger = logging.getLogger(__name__)


class LazyRetriever:
    """Builds the vector index on the first question asked back, not at start-up: most turns never need it."""

    def __init__(self, build: Callable[[], Retriever]) -> None:
        self._build = build
        self._retriever: Retriever | None = None
        self._guard = threading.Lock()

    def _get(self) -> Retriever:
        with self._guard:
            if self._retriever is None:
                self._retriever = self._build()
            return self._retriever

    def search(self, text: str, k: int = 5) -> list[Any]:
        return self._get().search(text, k)

    def ready(self) -> bool:
        """Builds the index now if it is not built yet (readiness probes and start-up warm-up)."""
        try:
            self._get()
        except Exception:
            logger.exception("the retrieval index could not be built")
            return False
        return True


def build_interpreter(settings: Settings, clock: Callable[[], date] = date.today) -> Interpreter:
    from agent.interpret.offline import OfflineInterpreter

    offline = OfflineInterpreter(today=clock)
    if not settings.use_anthropic:
        return offline
    # Imported lazily: offline runs never load the SDK. The offline reader is the fallback on model errors.
    from agent.interpret.anthropic import build_anthropic_interpreter

    return build_anthropic_interpreter(settings, fallback=offline)


def build_retriever_lazily(settings: Settings, kb: KnowledgeBase) -> LazyRetriever:
    def build() -> Retriever:
        from agent.retrieval.build import build_retriever

        return build_retriever(settings, kb)

    return LazyRetriever(build)


def build_engine(
    settings: Settings,
    *,
    kb: KnowledgeBase | None = None,
    interpreter: Interpreter | None = None,
    retriever: Retriever | None = None,
    checkpointer: BaseCheckpointSaver | None = None,
    clock: Callable[[], date] = date.today,
) -> Engine:
    """The production engine; any part can be handed in instead (tests, the eval runner)."""
    kb = kb or load_knowledge()
    deps = GraphDeps(
        kb=kb,
        interpreter=interpreter or build_interpreter(settings, clock),
        settings=settings,
        retriever=retriever or build_retriever_lazily(settings, kb),
        clock=clock,
    )
    return Engine.create(deps, checkpointer or open_checkpointer(settings))
