"""What every node shares: the graph's state schema and the injected dependencies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from agent.interpret.base import Interpreter
from agent.kb import KnowledgeBase
from agent.settings import Settings
from agent.state import AssessmentState

# What the node that just ran wants next; each route_* reads the values its node can set.
Step = Literal[
    "advance",
    "reask",
    "ask",
    "plan",
    "narrative",
    "domain_summary",
    "finish",
    "score",
    "command",
    "question_back",
    "follow_up",
]


class Retriever(Protocol):
    def search(self, text: str, k: int = 5) -> list[Any]: ...


@dataclass
class GraphDeps:
    """Built once by agent.runtime (or a test) and closed over by the nodes: never built in a node."""

    kb: KnowledgeBase
    interpreter: Interpreter
    settings: Settings
    retriever: Retriever | None = None
    clock: Callable[[], date] = field(default=date.today)


class GraphState(AssessmentState, total=False):
    """AssessmentState plus the graph's own bookkeeping (channels LangGraph must know about)."""

    intake_answered: list[str]  # intake fields answered (or declined), in the order answered
    narrative: str | None  # a first message that told the story; interpreted once the plan exists
    planned: bool
    question: str  # the full text of the pending question, for repeats
    ask_text: str  # what the ask node says now (question, follow-up, repeat or nothing)
    ask_new: bool  # counts as a new question in stats
    step: Step
    command: str | None
    interpretation: dict[str, Any] | None
    interpret_source: Literal["answer", "narrative"]
    current_domain: str | None  # the domain whose questions are being asked (for the intro line)
    created_at: str  # ISO date the assessment started, by the injected clock
    updated_at: str  # ISO date of the last answer: reports date their roadmap from it


def stats_add(stats: dict[str, int] | None, **delta: int) -> dict[str, int]:
    merged = dict(stats or {})
    for key, value in delta.items():
        merged[key] = merged.get(key, 0) + value
    return merged


EMPTY_STATS = {"questions": 0, "model_calls": 0, "input_tokens": 0, "output_tokens": 0, "cached_tokens": 0}
