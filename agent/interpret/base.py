"""The seam every interpreter plugs into: production, offline and test fakes alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from agent.kb import KnowledgeBase
from agent.state import Interpretation, Profile


@dataclass
class InterpretRequest:
    """One user turn to understand.

    `asked` are the controls the pending question was about. `open_controls` are all in-scope controls
    not yet settled: a narrative or an aside may settle any of them, and interpreters credit those too.
    `attempt` is 0 for the first answer about `asked`, 1..2 for follow-ups.
    """

    text: str
    asked: list[str]
    open_controls: list[str]
    profile: Profile
    attempt: int = 0
    previous_answers: dict[str, list[str]] = field(default_factory=dict)


class Interpreter(Protocol):
    name: str

    def interpret(self, request: InterpretRequest, kb: KnowledgeBase) -> Interpretation: ...
