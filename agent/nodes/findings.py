"""Findings as the graph keeps them: scored by agent.scoring, quoting only the user's own words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.interpret.redact import redact_secrets
from agent.kb import KnowledgeBase
from agent.kb.models import Control
from agent.nodes.base import GraphState
from agent.scoring import score_control, unresolved_requirements
from agent.state import Finding, RequirementJudgment


def redact(text: str) -> str:
    """Secrets pasted into an answer never reach the transcript, the checkpoint store or a model."""
    redacted, _kinds = redact_secrets(text)
    return redacted


def judgments_of(finding: Mapping[str, Any] | None) -> list[RequirementJudgment]:
    if not finding:
        return []
    return [RequirementJudgment.model_validate(j) for j in finding.get("judgments") or []]


def is_settled(kb: KnowledgeBase, control_id: str, findings: Mapping[str, Any]) -> bool:
    """Scored, and nothing a follow-up would still have to establish: no need to ask about it."""
    finding = findings.get(control_id)
    if not finding or finding["status"] == "unknown":
        return False
    if finding["status"] in ("not_applicable", "gap"):
        return True
    return not unresolved_requirements(kb.control(control_id), judgments_of(finding))


def open_control_ids(state: GraphState) -> set[str]:
    """Controls still to be asked, or being asked now."""
    waiting = {cid for group in state.get("queue") or [] for cid in group}
    pending = state.get("pending") or {}
    if pending.get("kind") == "control":
        waiting |= set(pending.get("control_ids") or [])
    return waiting


def verbatim_quotes(judgments: list[RequirementJudgment], said: list[str]) -> list[str]:
    """Quotes that really are substrings of what the user wrote (paraphrases a model makes are dropped)."""
    quotes: list[str] = []
    for judgment in judgments:
        for quote in judgment.quotes:
            cleaned = quote.strip()
            if cleaned and cleaned not in quotes and any(cleaned in text for text in said):
                quotes.append(cleaned)
    return quotes


def scored_finding(
    control: Control,
    judgments: list[RequirementJudgment],
    not_applicable_reason: str | None,
    said: list[str],
    confidence: float,
    turn: int,
) -> dict[str, Any]:
    result = score_control(control, judgments, not_applicable_reason)
    finding = Finding(
        control_id=control.id,
        status=result.status,
        rationale=result.rationale,
        rule=result.rule,
        evidence_quotes=verbatim_quotes(judgments, said),
        judgments=judgments,
        confidence=confidence,
        turn=turn,
        not_applicable_reason=not_applicable_reason if result.status == "not_applicable" else None,
    )
    return finding.model_dump(mode="json")


def skipped_finding(control: Control, turn: int) -> dict[str, Any]:
    return Finding(
        control_id=control.id,
        status="unknown",
        rationale=f"Skipped by the user: whether {control.title[:1].lower() + control.title[1:]} is in place "
        "still has to be verified.",
        rule="skipped",
        confidence=1.0,
        turn=turn,
    ).model_dump(mode="json")
