"""Conversation commands: skip, go back, change an answer, progress, pause and resume."""

from __future__ import annotations

import re
from typing import Any

from agent.kb import KnowledgeBase
from agent.kb.models import Control
from agent.nodes.base import GraphDeps, GraphState
from agent.nodes.findings import open_control_ids, skipped_finding
from agent.nodes.messages import render
from agent.planning import controls_in_scope, progress_by_domain
from agent.state import INTAKE_FIELDS

# Whole-message commands only: "we skip nothing" or "we back up nightly" are answers, not commands.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("skip", r"(?:skip|skip (?:it|this|this one|that|for now)|pass|next(?: question)?|i'?d rather not say)"),
    ("back", r"(?:go back|back|previous(?: question)?|undo|go back (?:one|a question))"),
    ("progress", r"(?:progress|status|where are we|how far along are we|how much is left|show progress)"),
    ("pause", r"(?:pause|stop for now|let'?s pause|continue later|brb|take a break)"),
    ("resume", r"(?:resume|continue|let'?s continue|i'?m back|carry on)"),
)
CHANGE = re.compile(
    r"^(?:i'?d like to |i want to |can i |let me |please )?(?:change|update|revise|correct|fix|redo)"
    r" (?:my |the )?(?:answer|response|reply)s? (?:about|on|for|to|regarding) (?P<topic>.+)$"
)
INTAKE_WORDS = {
    "company_name": ("company name", "name", "company"),
    "employees": ("employees", "headcount", "size", "people"),
    "audit_type": ("audit type", "type", "type ii", "type i"),
    "target_audit_date": ("audit date", "date", "target date", "timeline"),
    "uptime_commitments": ("uptime", "availability", "sla"),
    "confidentiality_commitments": ("confidentiality", "confidential"),
    "processing_integrity_commitments": ("processing integrity",),
    "privacy_commitments": ("privacy",),
    "cloud": ("cloud",),
    "identity_provider": ("identity provider", "idp", "sso provider"),
    "email_suite": ("email", "office suite"),
    "code_host": ("code host", "source control", "github", "gitlab"),
}


def parse_command(text: str, state: GraphState, kb: KnowledgeBase) -> str | None:
    lowered = re.sub(r"\s+", " ", text.lower()).strip().strip(".!")
    if not lowered:
        return "empty"
    for name, pattern in COMMANDS:
        if re.fullmatch(rf"(?:please |ok,? |okay,? |let'?s )?{pattern}(?: please)?", lowered):
            return name
    match = CHANGE.match(lowered)
    if match:
        return f"change:{resolve_topic(match['topic'], state, kb) or '?'}"
    return None


def resolve_topic(topic: str, state: GraphState, kb: KnowledgeBase) -> str | None:
    """A control id or intake field the person means by a few words ("MFA", "access reviews", "headcount")."""
    topic = topic.strip().strip("'\"?.").lower()
    for control in kb.controls:
        if control.id.lower() == topic or control.id.lower() in topic.split():
            return control.id
    for field_name, words in INTAKE_WORDS.items():
        if topic in words:
            return field_name
    candidates = controls_in_scope(kb, state.get("scope") or ["security"])
    answered = set(state.get("findings") or {})
    best: tuple[float, str] | None = None
    topic_words = set(re.findall(r"[a-z0-9]+", topic)) - {"the", "our", "my", "a", "an", "of", "about", "we"}
    for control in candidates:
        hits = sum(1.0 for k in control.keywords if k in topic) + 0.5 * len(
            topic_words & set(re.findall(r"[a-z0-9]+", control.title.lower()))
        )
        if hits and control.id in answered:
            hits += 0.25
        if hits and (best is None or hits > best[0]):
            best = (hits, control.id)
    return best[1] if best else None


def _progress_message(state: GraphState, deps: GraphDeps) -> str:
    rows = progress_by_domain(
        deps.kb, state.get("scope") or ["security"], state.get("findings") or {}, open_control_ids(state)
    )
    lines = [
        render(
            "progress_header",
            settled=sum(r["settled"] for r in rows),
            total=sum(r["total"] for r in rows),
        )
    ]
    lines += [render("progress_row", **row) for row in rows]
    return "\n".join(lines)


def command(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    name = str(state.get("command") or "")
    outbox = list(state.get("outbox") or [])
    question = str(state.get("question") or "")
    reask = {"ask_new": False, "step": "reask", "command": None}
    if name == "progress":
        outbox.append(_progress_message(state, deps))
        return {**reask, "outbox": outbox, "ask_text": render("repeat", question=question)}
    if name == "pause":
        outbox.append(render("pause", assessment_id=state.get("assessment_id", "")))
        return {**reask, "outbox": outbox, "ask_text": "", "paused": True}
    if name == "resume":
        return {**reask, "outbox": outbox, "ask_text": render("resume", question=question)}
    if name == "empty":
        return {**reask, "outbox": outbox, "ask_text": render("empty", question=question)}
    if name == "skip":
        return {**_skip(state, deps), "command": None}
    if name == "back":
        return {**_back(state, deps), "command": None}
    if name.startswith("change:"):
        return {**_change(state, deps, name.split(":", 1)[1]), "command": None}
    return {**reask, "outbox": outbox, "ask_text": render("repeat", question=question)}


def _skip(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    pending = state.get("pending") or {}
    outbox = list(state.get("outbox") or [])
    if pending.get("kind") == "intake":
        outbox.append(render("skip_intake"))
        answered = [*(state.get("intake_answered") or []), str(pending.get("field"))]
        return {"intake_answered": answered, "outbox": outbox, "step": "advance"}
    turn = state.get("turn", 0)
    findings = state.get("findings") or {}
    # Skipping a follow-up keeps what the first answer established; only untouched controls become unknown.
    skipped = {
        cid: skipped_finding(deps.kb.control(cid), turn)
        for cid in pending.get("control_ids") or []
        if cid not in findings
    }
    queue = [list(group) for group in state.get("queue") or []]
    group = queue.pop(0) if queue else []
    outbox.append(render("skip"))
    return {
        "findings": skipped,
        "queue": queue,
        "asked": [*(state.get("asked") or []), group],
        "outbox": outbox,
        "step": "advance",
    }


def _reopen(state: GraphState, control_ids: list[str]) -> dict[str, Any]:
    """Forget what was said about these controls so they are asked afresh."""
    answers = {k: v for k, v in (state.get("answers") or {}).items() if k not in control_ids}
    used = {k: v for k, v in (state.get("followups_used") or {}).items() if k not in control_ids}
    return {"findings": dict.fromkeys(control_ids), "answers": answers, "followups_used": used}


def _back(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    pending = state.get("pending") or {}
    outbox = list(state.get("outbox") or [])
    question = str(state.get("question") or "")
    if pending.get("kind") == "intake":
        answered = list(state.get("intake_answered") or [])
        if not answered:
            outbox.append(render("back_nothing"))
            return {"outbox": outbox, "ask_text": question, "ask_new": False, "step": "reask"}
        previous = answered.pop()
        profile = {k: v for k, v in (state.get("profile") or {}).items() if k != previous}
        outbox.append(render("back"))
        return {"intake_answered": answered, "profile": profile, "outbox": outbox, "step": "advance"}
    asked = [list(group) for group in state.get("asked") or []]
    if not asked:
        outbox.append(render("back_nothing"))
        return {"outbox": outbox, "ask_text": question, "ask_new": False, "step": "reask"}
    previous_group = asked.pop()
    queue = [previous_group, *[list(group) for group in state.get("queue") or []]]
    domain = deps.kb.control(previous_group[0]).group
    outbox.append(render("back"))
    return {
        **_reopen(state, previous_group),
        "asked": asked,
        "queue": queue,
        "domains_done": [d for d in state.get("domains_done") or [] if d != domain],
        "current_domain": None,
        "outbox": outbox,
        "step": "advance",
    }


def _change(state: GraphState, deps: GraphDeps, target: str) -> dict[str, Any]:
    outbox = list(state.get("outbox") or [])
    question = str(state.get("question") or "")
    reask = {"ask_new": False, "step": "reask"}
    if target in INTAKE_FIELDS:
        answered = [f for f in state.get("intake_answered") or [] if f != target]
        profile = {k: v for k, v in (state.get("profile") or {}).items() if k != target}
        outbox.append(render("change"))
        scope_field = target.endswith("_commitments")
        # A scope answer changes the plan: it is rebuilt (keeping what is scored) once re-answered.
        return {
            "intake_answered": answered,
            "profile": profile,
            "outbox": outbox,
            "step": "advance",
            **({"planned": False} if scope_field and state.get("planned") else {}),
        }
    control: Control | None = deps.kb.control_by_id.get(target)
    if control is None:
        outbox.append(render("change_unknown"))
        return {**reask, "outbox": outbox, "ask_text": question}
    queue = [list(group) for group in state.get("queue") or []]
    pending_ids = (state.get("pending") or {}).get("control_ids") or []
    upcoming = {cid for group in queue[1:] for cid in group}
    if target in upcoming or (queue and target in queue[0] and target not in pending_ids):
        outbox.append(render("change_not_asked"))
        return {**reask, "outbox": outbox, "ask_text": question}
    outbox.append(render("change"))
    if target in pending_ids:
        return {**_reopen(state, [target]), "outbox": outbox, "current_domain": None, "step": "advance"}
    return {
        **_reopen(state, [target]),
        "queue": [[target], *queue],
        "current_domain": None,
        "outbox": outbox,
        "step": "advance",
    }
