"""Tokens one assessment costs with the Claude interpreter: input, output and prompt-cache reads/writes.

What it measures, honestly: every answer of the evals/fixtures/seed-stage-saas-aws.yaml interview (one
turn per asked control, plus its follow-ups) goes through AnthropicInterpreter over real HTTP to the fake
Messages API (tests/fakes/messages_api.py). The requests are the real ones the interpreter builds. The
token counts are ESTIMATES the fake computes from those requests (~4 characters per token, Anthropic's
prompt-cache rules simulated: prefixes ending at a cache_control breakpoint, >= 1024 tokens, read when seen
before). Replies are the offline interpreter's reading of the same answer written as the tool call, so
output tokens approximate a real reading's size. No real model is called; real counts need a live key.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import anthropic
import yaml

from agent.interpret.anthropic import AnthropicInterpreter
from agent.interpret.base import InterpretRequest
from agent.interpret.claude_schema import TOOL_NAME
from agent.interpret.offline import OfflineInterpreter
from agent.kb import KnowledgeBase, load_knowledge
from agent.state import Interpretation, Profile
from tests.fakes.messages_api import FakeMessagesAPI

FIXTURE = Path(__file__).resolve().parent.parent / "evals" / "fixtures" / "seed-stage-saas-aws.yaml"
TODAY = date(2026, 11, 28)


def _as_tool_reply(reading: Interpretation, turn: int) -> dict[str, Any]:
    tool_input = {
        "readings": [r.model_dump(mode="json") for r in reading.readings],
        "question_back": reading.question_back,
        "command": reading.command,
        "injection_detected": reading.injection_detected,
    }
    return {
        "id": f"msg_bench_{turn:03d}",
        "type": "message",
        "role": "assistant",
        "model": "fake",
        "content": [
            {"type": "tool_use", "id": f"toolu_bench_{turn:03d}", "name": TOOL_NAME, "input": tool_input}
        ],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 0, "output_tokens": 0},
    }


def _turns(fixture: dict[str, Any], kb: KnowledgeBase) -> list[tuple[str, str, int]]:
    order = [c.id for c in kb.controls]
    answers: dict[str, str] = fixture.get("answers") or {}
    followups: dict[str, str] = fixture.get("followups") or {}
    turns: list[tuple[str, str, int]] = []
    for control_id in sorted(answers, key=order.index):
        turns.append((control_id, answers[control_id], 0))
        if control_id in followups:
            turns.append((control_id, followups[control_id], 1))
    return turns


def run(results_dir: Path) -> dict[str, Any]:
    kb = load_knowledge()
    fixture = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    profile = Profile.model_validate(fixture["profile"])
    offline = OfflineInterpreter(today=TODAY)
    turns = _turns(fixture, kb)
    totals = {"model_calls": 0, "input_tokens": 0, "output_tokens": 0, "cached_tokens": 0, "fallbacks": 0}
    with FakeMessagesAPI(estimate_usage=True) as fake:
        client = anthropic.Anthropic(api_key="bench", base_url=fake.base_url, max_retries=0, timeout=30.0)
        interpreter = AnthropicInterpreter(client, "claude-sonnet-4-5", offline, today=lambda: TODAY)
        open_controls = [c.id for c in kb.controls if c.category in profile.scope()]
        for turn, (control_id, text, attempt) in enumerate(turns):
            request = InterpretRequest(
                text=text,
                asked=[control_id],
                open_controls=list(open_controls),
                profile=profile,
                attempt=attempt,
            )
            fake.reply(_as_tool_reply(offline.interpret(request, kb), turn))
            result = interpreter.interpret(request, kb)
            totals["fallbacks"] += result.source != "anthropic"
            for key in ("model_calls", "input_tokens", "output_tokens", "cached_tokens"):
                totals[key] += getattr(result, key)
            if control_id in open_controls:
                open_controls.remove(control_id)
        system = fake.requests[0].body["system"]
        cache_read = sum(u.get("cache_read_input_tokens", 0) for u in fake.usages)
        cache_write = sum(u.get("cache_creation_input_tokens", 0) for u in fake.usages)

    if totals["fallbacks"]:
        raise RuntimeError(
            f"{totals['fallbacks']} turns fell back to offline: the figures would not be Claude's"
        )
    calls = max(totals["model_calls"], 1)
    uncached_equivalent = totals["input_tokens"] + cache_read + cache_write
    # Anthropic bills cache writes at 1.25x and reads at 0.1x of the base input price.
    billed_equivalent = totals["input_tokens"] + 1.25 * cache_write + 0.1 * cache_read
    return {
        "measures": "estimated tokens (~4 chars/token, simulated prompt cache) of real interpreter requests "
        "to a fake Messages API over one fixture interview; not real tokenizer counts",
        "fixture": FIXTURE.stem,
        "scope": profile.scope(),
        "turns": len(turns),
        **totals,
        "cache_read_tokens": cache_read,
        "cache_write_tokens": cache_write,
        "per_turn": {
            "input_tokens": round(totals["input_tokens"] / calls),
            "output_tokens": round(totals["output_tokens"] / calls),
            "cached_tokens": round(totals["cached_tokens"] / calls),
        },
        "instructions_chars": len(system[0]["text"]),
        "catalogue_chars": len(system[1]["text"]),
        "input_tokens_without_cache": uncached_equivalent,
        "input_cost_ratio_with_cache": round(billed_equivalent / max(uncached_equivalent, 1), 3),
    }
