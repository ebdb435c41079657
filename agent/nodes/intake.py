"""Nodes that open an assessment and collect the intake profile."""

from __future__ import annotations

from datetime import date
from typing import Any

from agent import intake as parsing
from agent import narrative_facts
from agent.nodes.base import EMPTY_STATS, GraphDeps, GraphState
from agent.nodes.messages import intake_help, intake_question, render, stack_name
from agent.state import INTAKE_FIELDS


def begin(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    return {
        "profile": {},
        "scope": ["security"],
        "queue": [],
        "asked": [],
        "findings": {},
        "answers": {},
        "followups_used": {},
        "turn": 0,
        "outbox": [render("welcome")],
        "domains_done": [],
        "stats": dict(EMPTY_STATS),
        "status": "in_progress",
        "paused": False,
        "intake_answered": [],
        "narrative": None,
        "planned": False,
        "command": None,
        "interpretation": None,
        "current_domain": None,
        "created_at": deps.clock().isoformat(),
        "updated_at": deps.clock().isoformat(),
    }


def next_intake_field(state: GraphState) -> str | None:
    answered = set(state.get("intake_answered") or [])
    return next((f for f in INTAKE_FIELDS if f not in answered), None)


def _profile_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _describe(field_name: str, value: Any) -> str:
    if field_name == "employees":
        return f"{value} people"
    if field_name == "audit_type":
        return "Type II" if value == "type2" else "Type I"
    if field_name == "uptime_commitments":
        return "uptime commitments" if value else "no uptime commitments"
    if field_name in parsing.STACK_FIELDS:
        return stack_name(field_name, value) or str(value)
    if field_name == "target_audit_date":
        return f"audit around {value}"
    return str(value)


def intake(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Reads the answer to the pending intake field; a first narrative also yields the facts it states."""
    field_name = str((state.get("pending") or {}).get("field"))
    text = state.get("last_input", "")
    today = deps.clock()
    profile = dict(state.get("profile") or {})
    answered = list(state.get("intake_answered") or [])
    outbox = list(state.get("outbox") or [])
    update: dict[str, Any] = {}

    if narrative_facts.looks_like_narrative(text):
        facts = {k: v for k, v in narrative_facts.extract_facts(text, today).items() if k not in answered}
        if field_name.endswith("_commitments") and field_name not in facts:
            leading = parsing.leading_yes_no(text)
            if leading is not None:
                facts[field_name] = leading
        for key, value in facts.items():
            profile[key] = _profile_value(value)
            answered.append(key)
        if not state.get("planned"):
            update["narrative"] = "\n\n".join(filter(None, [state.get("narrative"), text]))
        if facts:
            described = ", ".join(_describe(k, v) for k, v in facts.items())
            outbox.append(render("narrative_ack", facts=described))
        else:
            outbox.append(render("narrative_ack_nothing"))
        return {
            **update,
            "profile": profile,
            "intake_answered": answered,
            "outbox": outbox,
            "step": "advance",
        }

    try:
        parsed = parsing.parse_field(field_name, text, today)
    except parsing.IntakeError as hint:
        question = intake_question(field_name, profile)
        if text.strip().endswith("?"):
            reply = f"{intake_help(field_name)}\n\n{question}"
        else:
            reply = render("intake_retry", hint=str(hint), question=question)
        return {"ask_text": reply, "ask_new": False, "outbox": outbox, "step": "reask"}
    profile[field_name] = _profile_value(parsed.value)
    answered.append(field_name)
    # Signing in with Google Workspace or Entra ID means mail lives there too: one question fewer.
    if (
        field_name == "identity_provider"
        and parsed.value in ("google", "microsoft")
        and "email_suite" not in answered
    ):
        profile["email_suite"] = parsed.value
        answered.append("email_suite")
    # "AWS, with Okta and GitHub" answers three questions at once.
    if len(text.split()) > 2:
        mentioned = narrative_facts.extract_facts(text, today)
        for other in parsing.STACK_FIELDS:
            if other in mentioned and other not in answered:
                profile[other] = mentioned[other]
                answered.append(other)
    if parsed.unsure:
        outbox.append(render("intake_unsure"))
    return {"profile": profile, "intake_answered": answered, "outbox": outbox, "step": "advance"}
