"""Claude as the interpreter: one forced tool call per user turn, validated, with the offline reader as net.

The request is three cached-or-not layers: the static instructions and the in-scope control catalogue
(both marked for prompt caching, stable for a whole assessment) and the turn itself (never cached). Retries
with backoff on 429/5xx/529 are the SDK's (client max_retries); whatever still fails - an API error, a
timeout, output that is not a valid reading - hands the turn to the fallback interpreter so the assessment
goes on, and the result says so (source="offline-fallback").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import anthropic
from pydantic import ValidationError

from agent.interpret.base import Interpreter, InterpretRequest
from agent.interpret.claude_context import catalogue_text, system_text, turn_text
from agent.interpret.claude_schema import TOOL_NAME, ClaudeTurnReading, reading_tool
from agent.interpret.claude_validate import to_interpretation
from agent.kb import KnowledgeBase
from agent.settings import Settings
from agent.state import Interpretation

log = logging.getLogger(__name__)

_EPHEMERAL: dict[str, Any] = {"type": "ephemeral"}
# An answer to one question needs a few hundred tokens; an opening narrative touching twenty controls a
# few thousand. Past this the reading is cut off and the turn falls back rather than half-scored.
DEFAULT_MAX_TOKENS = 8192


class MalformedReply(ValueError):
    """Claude answered, but not with a usable reading."""


class Usage:
    """Token counts of one response; cached = read from cache + written to it."""

    def __init__(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        self.input_tokens = int(getattr(usage, "input_tokens", 0) or 0)
        self.output_tokens = int(getattr(usage, "output_tokens", 0) or 0)
        read = int(getattr(usage, "cache_read_input_tokens", 0) or 0)
        written = int(getattr(usage, "cache_creation_input_tokens", 0) or 0)
        self.cached_tokens = read + written

    def record(self, interpretation: Interpretation) -> Interpretation:
        return interpretation.model_copy(
            update={
                "model_calls": 1,
                "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens,
                "cached_tokens": self.cached_tokens,
            }
        )


class AnthropicInterpreter:
    name = "anthropic"

    def __init__(
        self,
        client: anthropic.Anthropic,
        model: str,
        fallback: Interpreter,
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._client = client
        self.model = model
        self._fallback = fallback
        self._max_tokens = max_tokens
        self._today = today
        self._tool = reading_tool()
        self._system = system_text()

    def today(self, request: InterpretRequest) -> date:
        # A pinned date on the profile (eval fixtures) wins, as it does for the offline reader.
        pinned = getattr(request.profile, "today", None)
        if isinstance(pinned, date):
            return pinned
        if isinstance(pinned, str):
            return date.fromisoformat(pinned)
        return self._today()

    def request_params(self, request: InterpretRequest, kb: KnowledgeBase) -> dict[str, Any]:
        """The Messages API arguments for one turn (public so tests and the bench can inspect them)."""
        return {
            "model": self.model,
            "max_tokens": self._max_tokens,
            "system": [
                {"type": "text", "text": self._system, "cache_control": _EPHEMERAL},
                {"type": "text", "text": catalogue_text(request, kb), "cache_control": _EPHEMERAL},
            ],
            "tools": [self._tool],
            "tool_choice": {"type": "tool", "name": TOOL_NAME},
            "messages": [{"role": "user", "content": turn_text(request, kb, self.today(request))}],
        }

    def interpret(self, request: InterpretRequest, kb: KnowledgeBase) -> Interpretation:
        if not request.text.strip():
            return self._fall_back(request, kb, None, "empty reply")
        usage: Usage | None = None
        try:
            response = self._client.messages.create(**self.request_params(request, kb))
            usage = Usage(response)
            reading = _reading_of(response)
            return usage.record(to_interpretation(reading, request, kb))
        except anthropic.APIError as exc:
            return self._fall_back(request, kb, usage, f"{type(exc).__name__}: {exc}")
        except (
            MalformedReply,
            ValidationError,
            json.JSONDecodeError,
        ) as exc:  # the SDK lets a non-JSON body through
            return self._fall_back(request, kb, usage, f"malformed reading: {exc}")

    def _fall_back(
        self, request: InterpretRequest, kb: KnowledgeBase, usage: Usage | None, why: str
    ) -> Interpretation:
        log.warning("claude interpreter fell back to %s: %s", self._fallback.name, why)
        result = self._fallback.interpret(request, kb).model_copy(update={"source": "offline-fallback"})
        return usage.record(result) if usage else result


def _reading_of(response: Any) -> ClaudeTurnReading:
    blocks = [b for b in getattr(response, "content", None) or [] if getattr(b, "type", None) == "tool_use"]
    block = next((b for b in blocks if getattr(b, "name", None) == TOOL_NAME), None)
    if block is None:
        raise MalformedReply(
            f"no {TOOL_NAME} tool call (stop_reason={getattr(response, 'stop_reason', None)})"
        )
    if getattr(response, "stop_reason", None) == "max_tokens":
        raise MalformedReply("reading cut off at max_tokens")
    if not isinstance(block.input, dict):
        raise MalformedReply(f"tool input is {type(block.input).__name__}, not an object")
    return ClaudeTurnReading.model_validate(block.input)


def build_anthropic_interpreter(
    settings: Settings, fallback: Interpreter, today: Callable[[], date] = date.today
) -> AnthropicInterpreter:
    """The production wiring: every connection setting comes from Settings, the SDK does the backoff."""
    if not settings.anthropic_api_key:
        # Failing here beats falling back on every turn with an error only the logs would show.
        raise ValueError("the Claude interpreter needs ANTHROPIC_API_KEY (or SOC2GAP_LLM=offline)")
    client = anthropic.Anthropic(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )
    return AnthropicInterpreter(client, settings.model, fallback, today=today)
