"""Turns Claude's raw reading into an Interpretation the scorer can trust.

Only what can be checked survives: ids must exist and be in play this turn, quotes must be verbatim spans
of the user's reply (stored as the user wrote them), and a judgment that lost all its quotes says nothing.
"""

from __future__ import annotations

from agent.interpret.base import InterpretRequest
from agent.interpret.claude_schema import ClaudeControlReading, ClaudeTurnReading
from agent.kb import KnowledgeBase
from agent.state import ControlReading, Interpretation, RequirementJudgment

_SIMPLE_COMMANDS = frozenset({"skip", "back", "progress", "pause"})
# Typographic variants a model may normalise when copying; they do not change the words.
_EQUIVALENT = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_TRIM = " \t\n\"'.,;:!?"


def _normalised(text: str) -> tuple[str, list[int]]:
    """Casefolded text with whitespace runs collapsed, plus each kept character's index in `text`."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text.translate(_EQUIVALENT)):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        for lowered in char.lower():  # some letters lower-case to two characters
            chars.append(lowered)
            origin.append(index)
    return "".join(chars), origin


def verbatim_span(quote: str, text: str) -> str | None:
    """The user's own span that `quote` copies, or None when the quote is not in the text."""
    needle, _ = _normalised(quote.strip(_TRIM))
    needle = needle.strip()
    if not needle:
        return None
    haystack, origin = _normalised(text)
    start = haystack.find(needle)
    if start < 0:
        return None
    return text[origin[start] : origin[start + len(needle) - 1] + 1]


def _judgments(raw: ClaudeControlReading, known: set[str], text: str) -> list[RequirementJudgment]:
    judged: dict[str, RequirementJudgment] = {}
    for item in raw.judgments:
        if item.requirement_id not in known:
            continue
        quotes = list(dict.fromkeys(q for q in (verbatim_span(q, text) for q in item.quotes) if q))
        verdict = item.verdict
        reason = item.reason.strip()
        if verdict != "unknown" and not quotes:
            verdict, reason = "unknown", "unquoted"
        # A later judgment of the same requirement wins, as a later sentence would.
        judged[item.requirement_id] = RequirementJudgment(
            requirement_id=item.requirement_id, verdict=verdict, reason=reason, quotes=quotes
        )
    return list(judged.values())


def _command(raw: str | None, kb: KnowledgeBase) -> str | None:
    if not raw:
        return None
    command = raw.strip().lower()
    if command in _SIMPLE_COMMANDS:
        return command
    if command.startswith("change:"):
        control_id = raw.strip().split(":", 1)[1].strip().upper()
        if control_id in kb.control_by_id:
            return f"change:{control_id}"
    return None


def to_interpretation(raw: ClaudeTurnReading, request: InterpretRequest, kb: KnowledgeBase) -> Interpretation:
    in_play = set(request.asked) | set(request.open_controls)
    readings: dict[str, ControlReading] = {}
    for item in raw.readings:
        control = kb.control_by_id.get(item.control_id)
        if control is None or control.id not in in_play:
            continue
        judgments = _judgments(item, {r.id for r in control.requirements}, request.text)
        na_reason = (item.not_applicable_reason or "").strip() or None
        says_something = any(j.verdict != "unknown" for j in judgments)
        if not (says_something or na_reason or item.user_unsure or control.id in request.asked):
            continue
        readings[control.id] = ControlReading(
            control_id=control.id,
            judgments=judgments,
            not_applicable_reason=na_reason,
            user_unsure=item.user_unsure,
            confidence=item.confidence,
        )
    question = (raw.question_back or "").strip() or None
    return Interpretation(
        readings=list(readings.values()),
        question_back=question,
        command=_command(raw.command, kb),
        injection_detected=raw.injection_detected,
        source="anthropic",
    )
