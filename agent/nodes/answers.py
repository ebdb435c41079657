"""Nodes that understand answers: interpret (via the injected interpreter), score, follow up."""

from __future__ import annotations

import logging
from typing import Any

from agent.interpret.base import InterpretRequest
from agent.nodes.base import GraphDeps, GraphState, stats_add
from agent.nodes.findings import (
    is_settled,
    judgments_of,
    scored_finding,
)
from agent.nodes.messages import follow_up_question, join_names, render
from agent.nodes.questions import kb_answer
from agent.planning import controls_in_scope
from agent.scoring import merge_judgments, unresolved_requirements
from agent.state import Interpretation, Profile

logger = logging.getLogger(__name__)


def _usage(stats: dict[str, int] | None, interpretation: Interpretation) -> dict[str, int]:
    return stats_add(
        stats,
        model_calls=interpretation.model_calls,
        input_tokens=interpretation.input_tokens,
        output_tokens=interpretation.output_tokens,
        cached_tokens=interpretation.cached_tokens,
    )


def _unsettled_in_scope(state: GraphState, deps: GraphDeps) -> list[str]:
    findings = state.get("findings") or {}
    return [
        c.id
        for c in controls_in_scope(deps.kb, state.get("scope") or ["security"])
        if not is_settled(deps.kb, c.id, findings)
    ]


def interpret(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    pending = state.get("pending") or {}
    asked = list(pending.get("control_ids") or [])
    used = state.get("followups_used") or {}
    answers = state.get("answers") or {}
    request = InterpretRequest(
        text=state.get("last_input", ""),
        asked=asked,
        open_controls=_unsettled_in_scope(state, deps),
        profile=Profile.model_validate(state.get("profile") or {}),
        attempt=max((used.get(cid, 0) for cid in asked), default=0),
        previous_answers={cid: list(answers.get(cid) or []) for cid in asked},
    )
    try:
        interpretation = deps.interpreter.interpret(request, deps.kb)
    except Exception:
        # The answer is in the transcript; nothing is scored from it, and the person is asked to resend
        # rather than have a half-processed turn replayed later.
        logger.exception("interpreter %s failed", getattr(deps.interpreter, "name", "?"))
        question = str(state.get("question") or "")
        return {"ask_text": render("interpret_failed", question=question), "ask_new": False, "step": "reask"}
    update: dict[str, Any] = {
        "interpretation": interpretation.model_dump(mode="json"),
        "interpret_source": "answer",
        "stats": _usage(state.get("stats"), interpretation),
    }
    about_asked = any(r.control_id in asked for r in interpretation.readings)
    if interpretation.command:
        return {**update, "command": interpretation.command, "step": "command"}
    if interpretation.question_back and not about_asked:
        return {**update, "step": "question_back"}
    return {**update, "step": "score"}


def narrative(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Reads the opening story against every planned control, so it can settle them before they are asked."""
    in_scope = [c.id for c in controls_in_scope(deps.kb, state.get("scope") or ["security"])]
    request = InterpretRequest(
        text=str(state.get("narrative") or ""),
        asked=[],
        open_controls=in_scope,
        profile=Profile.model_validate(state.get("profile") or {}),
    )
    try:
        interpretation = deps.interpreter.interpret(request, deps.kb)
    except Exception:
        logger.exception("interpreter %s failed on the narrative", getattr(deps.interpreter, "name", "?"))
        interpretation = Interpretation()  # every control is still asked: nothing is lost but a shortcut
    return {
        "interpretation": interpretation.model_dump(mode="json"),
        "interpret_source": "narrative",
        "last_input": str(state.get("narrative") or ""),
        "narrative": None,
        "stats": _usage(state.get("stats"), interpretation),
    }


def score(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Merges each reading into its control's judgments (later answers win) and rescores it."""
    kb = deps.kb
    interpretation = Interpretation.model_validate(state.get("interpretation") or {})
    scope = set(state.get("scope") or ["security"])
    findings = state.get("findings") or {}
    text = state.get("last_input", "")
    answers = {cid: list(said) for cid, said in (state.get("answers") or {}).items()}
    pending = state.get("pending") or {}
    if state.get("interpret_source") == "answer":
        for cid in pending.get("control_ids") or []:
            answers.setdefault(cid, []).append(text)
    turn = state.get("turn", 0)
    updated: dict[str, dict[str, Any]] = {}
    for reading in interpretation.readings:
        control = kb.control_by_id.get(reading.control_id)
        if control is None or control.category not in scope:
            continue
        said = answers.setdefault(control.id, [])
        if not said or said[-1] != text:
            said.append(text)
        old = findings.get(control.id)
        judgments = merge_judgments(judgments_of(old), reading.judgments)
        has_news = any(j.verdict != "unknown" for j in reading.judgments)
        na_reason = reading.not_applicable_reason or (
            None if has_news or not old else old.get("not_applicable_reason")
        )
        updated[control.id] = scored_finding(control, judgments, na_reason, said, reading.confidence, turn)

    outbox = list(state.get("outbox") or [])
    if interpretation.injection_detected:
        outbox.append(render("injection"))
    if interpretation.question_back and state.get("interpret_source") == "answer":
        outbox.append(
            render("question_back_inline", answer=kb_answer(state, deps, interpretation.question_back))
        )
    result: dict[str, Any] = {"findings": updated, "answers": answers, "outbox": outbox}
    if state.get("interpret_source") == "narrative":
        merged = {**findings, **updated}
        credited = [cid for cid in updated if is_settled(kb, cid, merged)]
        if credited:
            outbox.append(render("narrative_credit", count=len(credited), controls=join_names(credited)))
        return {**result, "step": "advance"}
    return {**result, "step": "follow_up"}


def _needs_follow_up(state: GraphState, deps: GraphDeps, control_id: str) -> bool:
    used = (state.get("followups_used") or {}).get(control_id, 0)
    if used >= deps.settings.max_followups:
        return False
    readings = Interpretation.model_validate(state.get("interpretation") or {}).readings
    reading = next((r for r in readings if r.control_id == control_id), None)
    said_something = reading is not None and (
        any(j.verdict != "unknown" for j in reading.judgments) or bool(reading.not_applicable_reason)
    )
    # "Not sure" is an answer (unknown); and once a follow-up brought nothing new, asking again won't either.
    if not said_something and ((reading is not None and reading.user_unsure) or used > 0):
        return False
    finding = (state.get("findings") or {}).get(control_id)
    if finding is None:
        return True
    if finding["status"] == "not_applicable":
        return False
    return bool(unresolved_requirements(deps.kb.control(control_id), judgments_of(finding)))


def follow_up(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Asks again about what is still unclear, or closes the group and moves on."""
    pending = state.get("pending") or {}
    asked = list(pending.get("control_ids") or [])
    unclear = [cid for cid in asked if _needs_follow_up(state, deps, cid)]
    if unclear:
        used = dict(state.get("followups_used") or {})
        for cid in unclear:
            used[cid] = used.get(cid, 0) + 1
        question = follow_up_question(deps.kb, unclear, state.get("profile") or {})
        return {
            "followups_used": used,
            "pending": {"kind": "control", "field": None, "control_ids": unclear},
            "question": question,
            "ask_text": question,
            "ask_new": True,
            "step": "ask",
        }
    return close_group(state, deps)


def close_group(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """The current group is done: anything in it never answered is recorded as unknown."""
    queue = [list(group) for group in state.get("queue") or []]
    findings = state.get("findings") or {}
    group = queue.pop(0) if queue else []
    turn = state.get("turn", 0)
    unanswered = {
        cid: scored_finding(deps.kb.control(cid), [], None, [], 0.0, turn)
        for cid in group
        if cid not in findings
    }
    return {
        "queue": queue,
        "asked": [*(state.get("asked") or []), group],
        "findings": unanswered,
        "step": "advance",
    }
