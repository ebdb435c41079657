"""Nodes that move the interview along: plan, choose the next question, ask, wait, summarize, finish."""

from __future__ import annotations

from typing import Any

from langgraph.types import interrupt

from agent.nodes.base import GraphDeps, GraphState, stats_add
from agent.nodes.commands import parse_command
from agent.nodes.findings import is_settled, open_control_ids, redact, scored_finding
from agent.nodes.intake import next_intake_field
from agent.nodes.messages import (
    control_question,
    intake_question,
    join_names,
    render,
    status_counts,
)
from agent.planning import (
    controls_in_scope,
    domain_label,
    domains_in_scope,
    group_domain,
    progress_by_domain,
    question_groups,
)
from agent.state import Profile


def plan(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    profile = Profile.model_validate(state.get("profile") or {})
    scope = profile.scope()
    findings = state.get("findings") or {}
    already_asked = {cid for group in state.get("asked") or [] for cid in group}
    queue = [
        group
        for group in question_groups(deps.kb, scope)
        if not all(cid in already_asked or is_settled(deps.kb, cid, findings) for cid in group)
    ]
    controls = controls_in_scope(deps.kb, scope)
    labels = {"security": "Security", "availability": "Availability", "confidentiality": "Confidentiality"}
    labels |= {"processing_integrity": "Processing Integrity", "privacy": "Privacy"}
    message = render(
        "plan",
        scope=join_names([labels[c] for c in scope]),
        domains=len(domains_in_scope(deps.kb, scope)),
        controls=len(controls),
        questions=len(queue),
    )
    return {
        "scope": scope,
        "queue": queue,
        "planned": True,
        "outbox": [*(state.get("outbox") or []), message],
    }


def advance(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Chooses what comes next: an intake question, the plan, the narrative, a summary or the next group."""
    profile = state.get("profile") or {}
    field_name = next_intake_field(state)
    if field_name:
        question = intake_question(field_name, profile)
        pending = {"kind": "intake", "field": field_name, "control_ids": []}
        return {
            "pending": pending,
            "question": question,
            "ask_text": question,
            "ask_new": True,
            "step": "ask",
        }
    if not state.get("planned"):
        return {"step": "plan"}
    if state.get("narrative"):
        return {"step": "narrative"}

    kb = deps.kb
    findings = state.get("findings") or {}
    queue = [list(group) for group in state.get("queue") or []]
    open_ids: list[str] = []
    while queue:
        open_ids = [cid for cid in queue[0] if not is_settled(kb, cid, findings)]
        if open_ids:
            break
        queue.pop(0)  # settled by the narrative or an aside: nothing left to ask
    if finished_domain(state, deps, queue):
        return {"queue": queue, "step": "domain_summary"}
    if not queue:
        return {"queue": queue, "step": "finish"}

    question = control_question(kb, open_ids, profile)
    domain = group_domain(kb, queue[0])
    text = question
    if domain != state.get("current_domain"):
        text = f"{render('domain_intro', domain=domain, label=domain_label(domain))}\n\n{question}"
    return {
        "queue": queue,
        "pending": {"kind": "control", "field": None, "control_ids": open_ids},
        "question": question,
        "ask_text": text,
        "ask_new": True,
        "current_domain": domain,
        "step": "ask",
    }


def finished_domain(state: GraphState, deps: GraphDeps, queue: list[list[str]]) -> str | None:
    done = set(state.get("domains_done") or [])
    waiting = {deps.kb.control(cid).group for group in queue for cid in group}
    for domain in domains_in_scope(deps.kb, state.get("scope") or ["security"]):
        if domain not in done and domain not in waiting:
            return domain
    return None


def domain_summary(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    domain = finished_domain(state, deps, state.get("queue") or [])
    if domain is None:
        return {}
    findings = state.get("findings") or {}
    ids = [c.id for c in controls_in_scope(deps.kb, state.get("scope") or []) if c.group == domain]
    statuses = [findings[cid]["status"] for cid in ids if cid in findings]
    message = render(
        "domain_summary", domain=domain, label=domain_label(domain), counts=status_counts(statuses)
    )
    weak = [deps.kb.control(cid).title for cid in ids if cid in findings and findings[cid]["status"] == "gap"]
    if weak:
        message += " " + render("domain_summary_focus", controls=join_names(weak[:4]))
    return {
        "domains_done": [*(state.get("domains_done") or []), domain],
        "outbox": [*(state.get("outbox") or []), message],
    }


def ask(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Says this turn's messages; everything said goes to the transcript once, here."""
    outbox = list(state.get("outbox") or [])
    if state.get("ask_text"):
        outbox.append(str(state["ask_text"]))
    turn = state.get("turn", 0)
    update: dict[str, Any] = {
        "outbox": outbox,
        "ask_text": "",
        "ask_new": False,
        "transcript": [{"role": "assistant", "text": text, "turn": turn} for text in outbox],
    }
    if state.get("ask_new"):
        update["stats"] = stats_add(state.get("stats"), questions=1)
    return update


def wait(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Stops the run until the person answers; resumes with their text (secrets redacted first)."""
    received = interrupt(state.get("pending") or {"kind": "done"})
    text = redact(str(received or "")).strip()
    turn = state.get("turn", 0) + 1
    command = parse_command(text, state, deps.kb)
    update: dict[str, Any] = {
        "last_input": text,
        "turn": turn,
        "transcript": [{"role": "user", "text": text, "turn": turn}],
        "outbox": [],
        "command": command,
        "interpretation": None,
        "updated_at": deps.clock().isoformat(),
    }
    if state.get("paused"):
        update["paused"] = False
    return update


def finish(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    kb = deps.kb
    scope = state.get("scope") or ["security"]
    findings = dict(state.get("findings") or {})
    turn = state.get("turn", 0)
    missing = {
        c.id: scored_finding(c, [], None, [], 0.0, turn)
        for c in controls_in_scope(kb, scope)
        if c.id not in findings
    }
    findings.update(missing)
    statuses = [f["status"] for cid, f in findings.items() if cid in kb.control_by_id]
    gaps = [
        kb.control(cid) for cid, f in findings.items() if f["status"] == "gap" and cid in kb.control_by_id
    ]
    gaps.sort(key=lambda c: (c.common_gap or 99, c.id))
    top = render("finish_top", controls=join_names([c.title for c in gaps[:3]])) if gaps else ""
    message = render(
        "finish",
        total=len(statuses),
        counts=status_counts(statuses),
        top=top,
        assessment_id=state.get("assessment_id", ""),
    )
    outbox = [*(state.get("outbox") or []), message]
    return {
        "findings": missing,
        "pending": {"kind": "done", "field": None, "control_ids": []},
        "status": "complete",
        "outbox": outbox,
        "transcript": [{"role": "assistant", "text": text, "turn": turn} for text in outbox],
    }


def progress_rows(state: GraphState, deps: GraphDeps) -> list[dict[str, Any]]:
    return progress_by_domain(
        deps.kb, state.get("scope") or ["security"], state.get("findings") or {}, open_control_ids(state)
    )
