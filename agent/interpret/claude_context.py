"""Builds the three texts Claude sees: the static instructions, the control catalogue and the turn.

The catalogue covers every in-scope control (not only the open ones) so that it stays byte-identical for
the whole assessment and its prompt-cache entry is read on every turn instead of rewritten. Which
controls are asked and which are still open changes per turn, so it lives in the turn text.
"""

from __future__ import annotations

import re
from datetime import date

from agent.interpret.base import InterpretRequest
from agent.kb import KnowledgeBase
from agent.kb.models import Control, Requirement
from agent.prompts import render

SYSTEM_PROMPT = "interpret_system"
CATALOGUE_PROMPT = "interpret_catalogue"
TURN_PROMPT = "interpret_turn"
# The slot names each template is rendered with; tests/test_prompts.py compares them with the templates.
SLOTS: dict[str, frozenset[str]] = {
    SYSTEM_PROMPT: frozenset(),
    CATALOGUE_PROMPT: frozenset({"scope", "controls"}),
    TURN_PROMPT: frozenset(
        {"today", "company", "attempt", "asked", "previous_answers", "open_controls", "user_reply"}
    ),
}
_DATA_TAG = re.compile(r"<\s*/?\s*(user_reply|earlier_answers)\s*>", re.IGNORECASE)


def system_text() -> str:
    return render(SYSTEM_PROMPT)


def _threshold(requirement: Requirement) -> str:
    limit = requirement.threshold
    if limit is None:
        return ""
    value = limit.frequency or limit.version or (f"{limit.days} days" if limit.days is not None else "")
    return f" ({limit.kind} {value})"


def _control_entry(control: Control) -> str:
    lines = [f"## {control.id}: {control.title}", f"signals: {', '.join(control.keywords)}"]
    if control.not_applicable_when:
        lines.append(f"may not apply when: {control.not_applicable_when}")
    for requirement in control.requirements:
        confirm = " [must-confirm]" if requirement.must_confirm else ""
        lines.append(
            f"- `{requirement.id}` [{requirement.aspect}]{confirm} {requirement.text}{_threshold(requirement)}"
        )
    return "\n".join(lines)


def catalogue_controls(request: InterpretRequest, kb: KnowledgeBase) -> list[Control]:
    scope = set(request.profile.scope())
    wanted = set(request.asked) | set(request.open_controls)
    # Scope keeps the text stable; asked/open ids outside it (a caller's choice) are still described.
    return [c for c in kb.controls if c.category in scope or c.id in wanted]


def catalogue_text(request: InterpretRequest, kb: KnowledgeBase) -> str:
    controls = catalogue_controls(request, kb)
    return render(
        CATALOGUE_PROMPT,
        scope=", ".join(request.profile.scope()),
        controls="\n\n".join(_control_entry(c) for c in controls),
    )


def _company(request: InterpretRequest) -> str:
    profile = request.profile
    parts = [profile.company_name or "unnamed"]
    if profile.employees:
        parts.append(f"{profile.employees} people")
    for label, value in (
        ("cloud", profile.cloud),
        ("identity provider", profile.identity_provider),
        ("email", profile.email_suite),
        ("code host", profile.code_host),
    ):
        if value:
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def _asked(request: InterpretRequest, kb: KnowledgeBase) -> str:
    if not request.asked:
        return "none: this is an opening narrative, read it against the open controls."
    lines = []
    for control_id in request.asked:
        control = kb.control_by_id.get(control_id)
        if control is None:
            continue
        question = control.follow_up if request.attempt else control.question
        lines.append(f"- {control.id} ({control.title}). Question asked: {question}")
    return "\n".join(lines) or "none"


def _previous(request: InterpretRequest) -> str:
    lines = [
        f'- {control_id}: "{_defused(said)}"'
        for control_id, answers in request.previous_answers.items()
        for said in answers
        if said.strip()
    ]
    return "\n".join(lines) or "none"


def _defused(text: str) -> str:
    # User text that opens or closes a data tag itself could smuggle words outside it.
    return _DATA_TAG.sub("[tag removed]", text)


def turn_text(request: InterpretRequest, kb: KnowledgeBase, today: date) -> str:
    reply = _defused(request.text)
    return render(
        TURN_PROMPT,
        today=today.isoformat(),
        company=_company(request),
        attempt=request.attempt,
        asked=_asked(request, kb),
        previous_answers=_previous(request),
        open_controls=", ".join(request.open_controls) or "none",
        user_reply=reply,
    )
