"""The simulated person of shared/spec/eval-fixtures.md: answers the agent from a fixture file.

Used by `soc2-gap run --answers FILE` and by the eval runner, so both play a fixture identically.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from agent.engine import AssessmentView, Engine, TurnResult
from agent.state import Pending, Status

UNSURE = "I'm not sure."
NOTHING_MORE = "I don't know more than that."
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class Fixture(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    description: str = ""
    profile: dict[str, Any] = Field(default_factory=dict)
    expected_scope: list[str] = Field(default_factory=list)
    narrative: str | None = None
    answers: dict[str, str] = Field(default_factory=dict)
    followups: dict[str, str] = Field(default_factory=dict)
    expected: dict[str, Status] = Field(default_factory=dict)
    expected_top_priorities: list[str] = Field(default_factory=list)


def load_fixture(path: Path) -> Fixture:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Fixture.model_validate(data)


def plain_words(field_name: str, value: Any) -> str:
    """A profile value the way a person would type it ("Type II", "yes", "September 1, 2027")."""
    if value is None:
        return UNSURE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field_name == "audit_type":
        return {"type1": "Type I", "type2": "Type II"}.get(str(value), str(value))
    if isinstance(value, date):
        return f"{MONTH_NAMES[value.month - 1]} {value.day}, {value.year}"
    if field_name == "target_audit_date":
        try:
            return plain_words(field_name, date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


class SimulatedPerson:
    """Answers each pending question: intake from `profile`, controls from `answers`, then `followups`."""

    def __init__(self, fixture: Fixture) -> None:
        self.fixture = fixture
        self.times_asked: Counter[str] = Counter()
        self.followups_given: set[str] = set()

    def opening(self) -> str | None:
        return self.fixture.narrative.strip() if self.fixture.narrative else None

    def reply(self, pending: Pending) -> str:
        if pending.kind == "intake":
            field_name = str(pending.field)
            return plain_words(field_name, self.fixture.profile.get(field_name))
        if pending.kind != "control":
            return ""
        parts: list[str] = []
        repeated = False
        for cid in pending.control_ids:
            asked_before = self.times_asked[cid] > 0
            self.times_asked[cid] += 1
            if not asked_before:
                if cid in self.fixture.answers:
                    parts.append(self.fixture.answers[cid].strip())
                continue
            repeated = True
            if cid in self.fixture.followups and cid not in self.followups_given:
                self.followups_given.add(cid)
                parts.append(self.fixture.followups[cid].strip())
        if parts:
            # One line per part, as a person answers a numbered multi-part question.
            return "\n".join(dict.fromkeys(parts))
        return NOTHING_MORE if repeated else UNSURE


def play(
    engine: Engine, fixture: Fixture, assessment_id: str | None = None, max_turns: int = 400
) -> AssessmentView:
    """Runs one whole assessment against the engine and returns its final state."""
    person = SimulatedPerson(fixture)
    result: TurnResult = engine.start(assessment_id)
    opening = person.opening()
    if opening:
        result = engine.send(result.assessment_id, opening)
    for _ in range(max_turns):
        if result.status == "complete" or result.pending.kind == "done":
            break
        result = engine.send(result.assessment_id, person.reply(result.pending))
    else:
        raise RuntimeError(f"fixture {fixture.id}: assessment did not finish within {max_turns} turns")
    return engine.get_state(result.assessment_id)
