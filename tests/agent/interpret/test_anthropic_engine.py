"""The Claude interpreter inside the real engine: usage reaches the assessment's stats, failures don't stop it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import anthropic
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.engine import Engine
from agent.interpret.anthropic import AnthropicInterpreter
from agent.interpret.offline import OfflineInterpreter
from agent.kb import KnowledgeBase
from agent.nodes.base import GraphDeps
from agent.settings import Settings
from tests.fakes.messages_api import FakeMessagesAPI, load_fixture

TODAY = date(2026, 11, 28)
INTAKE = ["Larkspur", "25", "type 2", "2027-09-01", "no", "no", "no", "no", "aws", "okta", "google", "github"]
POLICY_ANSWER = "We have an infosec policy in Notion, reviewed in February, signed off by leadership."


class NoRetriever:
    def search(self, text: str, k: int = 5) -> list[Any]:
        return []


@pytest.fixture
def fake() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI() as api:
        yield api


def _engine(fake: FakeMessagesAPI, kb: KnowledgeBase, tmp_path: Path) -> Engine:
    client = anthropic.Anthropic(api_key="test-key", base_url=fake.base_url, max_retries=0, timeout=5.0)
    interpreter = AnthropicInterpreter(
        client, "claude-sonnet-4-5", OfflineInterpreter(today=TODAY), today=lambda: TODAY
    )
    settings = Settings(data_dir=tmp_path, llm="anthropic", _env_file=None)  # type: ignore[call-arg]
    deps = GraphDeps(
        kb=kb, interpreter=interpreter, settings=settings, retriever=NoRetriever(), clock=lambda: TODAY
    )
    return Engine.create(deps, InMemorySaver())


def _through_intake(engine: Engine) -> tuple[str, list[str]]:
    result = engine.start()
    for text in INTAKE:
        result = engine.send(result.assessment_id, text)
        if result.pending.kind == "control":
            return result.assessment_id, result.pending.control_ids
    raise AssertionError(f"intake did not reach a control question: {result.pending}")


def test_claude_usage_lands_in_the_assessment_stats(fake, kb, tmp_path):
    engine = _engine(fake, kb, tmp_path)
    assessment_id, asked = _through_intake(engine)
    assert fake.requests == []  # intake never calls the model

    control = kb.control_by_id[asked[0]]
    reply = load_fixture("mfa_reading")
    reply["content"][0]["input"] = {
        "readings": [
            {
                "control_id": control.id,
                "judgments": [
                    {"requirement_id": r.id, "verdict": "met", "quotes": [POLICY_ANSWER]}
                    for r in control.requirements
                ],
            }
        ]
    }
    fake.reply(reply)
    engine.send(assessment_id, POLICY_ANSWER)

    view = engine.get_state(assessment_id)
    assert len(fake.requests) == 1
    assert {k: view.stats[k] for k in ("model_calls", "input_tokens", "output_tokens", "cached_tokens")} == {
        "model_calls": 1,
        "input_tokens": 412,
        "output_tokens": 388,
        "cached_tokens": 11873,
    }
    finding = next(f for f in view.findings if f.control_id == control.id)
    assert finding.status == "implemented"
    assert finding.evidence_quotes and all(q in POLICY_ANSWER for q in finding.evidence_quotes)


def test_an_overloaded_model_does_not_stop_the_assessment(fake, kb, tmp_path):
    engine = _engine(fake, kb, tmp_path)
    assessment_id, asked = _through_intake(engine)
    fake.overloaded()
    result = engine.send(assessment_id, POLICY_ANSWER)

    assert len(fake.requests) == 1
    assert result.status == "in_progress" and result.messages
    view = engine.get_state(assessment_id)
    assert view.stats.get("model_calls", 0) == 0
    assert any(f.control_id == asked[0] for f in view.findings)  # the offline reader scored the turn
