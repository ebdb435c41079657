"""The channel-neutral assessment API. CLI, HTTP server, Slack and the eval runner all go through it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command
from pydantic import BaseModel, Field

from agent.graph import build_graph
from agent.kb import KnowledgeBase
from agent.nodes.base import EMPTY_STATS, GraphDeps
from agent.nodes.findings import open_control_ids
from agent.nodes.messages import render
from agent.planning import progress_by_domain
from agent.settings import Settings
from agent.state import Finding, Pending, Profile

AssessmentStatus = Literal["in_progress", "complete"]


class DomainProgress(BaseModel):
    domain: str
    label: str
    total: int
    settled: int


class Progress(BaseModel):
    domains: list[DomainProgress] = Field(default_factory=list)
    settled: int = 0
    total: int = 0


class TurnResult(BaseModel):
    assessment_id: str
    messages: list[str]
    pending: Pending
    progress: Progress
    status: AssessmentStatus


class AssessmentView(BaseModel):
    assessment_id: str
    profile: Profile
    scope: list[str]
    findings: list[Finding]
    progress: Progress
    transcript: list[dict[str, Any]]
    pending: Pending
    status: AssessmentStatus
    stats: dict[str, int]
    created_at: date | None = None
    updated_at: date | None = None


class AssessmentExists(ValueError):
    """start() was given the id of an assessment that already exists."""


class MessageTooLong(ValueError):
    """A message longer than settings.max_message_chars."""


class Engine:
    def __init__(self, graph: CompiledStateGraph, deps: GraphDeps) -> None:
        self.graph = graph
        self.deps = deps
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @classmethod
    def create(cls, deps: GraphDeps, checkpointer: BaseCheckpointSaver) -> Engine:
        return cls(build_graph(deps).compile(checkpointer=checkpointer), deps)

    @property
    def kb(self) -> KnowledgeBase:
        return self.deps.kb

    @property
    def settings(self) -> Settings:
        return self.deps.settings

    # -- the contract -------------------------------------------------------------------------------
    def start(self, assessment_id: str | None = None) -> TurnResult:
        assessment_id = assessment_id or uuid.uuid4().hex
        with self._lock(assessment_id):
            if self._values(assessment_id):
                raise AssessmentExists(assessment_id)
            self.graph.invoke(
                {"assessment_id": assessment_id}, self._config(assessment_id), durability="exit"
            )
            return self._turn(assessment_id)

    def send(self, assessment_id: str, text: str) -> TurnResult:
        if len(text) > self.settings.max_message_chars:
            raise MessageTooLong(f"messages are limited to {self.settings.max_message_chars} characters")
        with self._lock(assessment_id):
            values = self._require(assessment_id)
            if values.get("status") == "complete":
                return self._turn(assessment_id, [render("closed", assessment_id=assessment_id)])
            # "exit": a turn is written once, when it reaches the next question. A process killed mid-turn
            # leaves the previous checkpoint, so the turn is all-or-nothing: an answer the caller got a
            # reply to is on disk, and one it did not is simply asked again. It is also 3-4x cheaper.
            self.graph.invoke(Command(resume=text), self._config(assessment_id), durability="exit")
            return self._turn(assessment_id)

    def get_state(self, assessment_id: str) -> AssessmentView:
        values = self._require(assessment_id)
        return AssessmentView(
            assessment_id=assessment_id,
            profile=Profile.model_validate(values.get("profile") or {}),
            scope=list(values.get("scope") or ["security"]),
            findings=[Finding.model_validate(f) for f in (values.get("findings") or {}).values()],
            progress=self._progress(values),
            transcript=[dict(m) for m in values.get("transcript") or []],
            pending=Pending.model_validate(values.get("pending") or {"kind": "done"}),
            status=values.get("status") or "in_progress",
            stats={**EMPTY_STATS, **(values.get("stats") or {})},
            created_at=values.get("created_at"),
            updated_at=values.get("updated_at"),
        )

    def delete(self, assessment_id: str) -> None:
        with self._lock(assessment_id):
            self._require(assessment_id)
            self.graph.checkpointer.delete_thread(assessment_id)  # type: ignore[union-attr]
        with self._locks_guard:
            self._locks.pop(assessment_id, None)

    # -- beyond the contract: reopening after a crash --------------------------------------------
    def resume(self, assessment_id: str) -> TurnResult:
        """What the agent last said, for a reopened chat (after a crash the cut-short turn never happened)."""
        with self._lock(assessment_id):
            values = self._require(assessment_id)
            transcript = values.get("transcript") or []
            last_turn = max((m["turn"] for m in transcript if m["role"] == "assistant"), default=0)
            said = [m["text"] for m in transcript if m["role"] == "assistant" and m["turn"] == last_turn]
            return self._turn(assessment_id, said)

    def exists(self, assessment_id: str) -> bool:
        return bool(self._values(assessment_id))

    def ready(self) -> bool:
        """The checkpoint store answers (readiness probe)."""
        saver = self.graph.checkpointer
        if not isinstance(saver, BaseCheckpointSaver):
            return False
        saver.get_tuple(self._config("readiness-probe"))
        return True

    def index_ready(self) -> bool:
        """The retrieval index used to answer questions back is loaded (built on first call if lazy)."""
        retriever = self.deps.retriever
        if retriever is None:
            return False
        ready = getattr(retriever, "ready", None)
        return bool(ready()) if callable(ready) else True

    # -- internals ----------------------------------------------------------------------------------
    @contextmanager
    def _lock(self, assessment_id: str) -> Iterator[None]:
        """One turn at a time per assessment: two channels answering at once must not interleave."""
        with self._locks_guard:
            lock = self._locks.setdefault(assessment_id, threading.Lock())
        with lock:
            yield

    @staticmethod
    def _config(assessment_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": assessment_id}, "recursion_limit": 200}

    def _values(self, assessment_id: str) -> dict[str, Any]:
        return dict(self.graph.get_state(self._config(assessment_id)).values or {})

    def _require(self, assessment_id: str) -> dict[str, Any]:
        values = self._values(assessment_id)
        if not values:
            raise KeyError(assessment_id)
        return values

    def _progress(self, values: dict[str, Any]) -> Progress:
        rows = progress_by_domain(
            self.kb,
            values.get("scope") or ["security"],
            values.get("findings") or {},
            open_control_ids(values),  # type: ignore[arg-type]
        )
        return Progress(
            domains=[DomainProgress(**row) for row in rows],
            settled=sum(r["settled"] for r in rows),
            total=sum(r["total"] for r in rows),
        )

    def _turn(self, assessment_id: str, messages: list[str] | None = None) -> TurnResult:
        values = self._values(assessment_id)
        return TurnResult(
            assessment_id=assessment_id,
            messages=list(values.get("outbox") or []) if messages is None else messages,
            pending=Pending.model_validate(values.get("pending") or {"kind": "done"}),
            progress=self._progress(values),
            status=values.get("status") or "in_progress",
        )
