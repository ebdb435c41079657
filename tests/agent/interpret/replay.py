"""Turns interpretations into statuses the way the graph does: merge judgments per control, then score."""

from __future__ import annotations

from collections.abc import Iterable

from agent.kb import KnowledgeBase
from agent.scoring import merge_judgments, score_control
from agent.state import Interpretation, RequirementJudgment


def score_turns(kb: KnowledgeBase, turns: Iterable[Interpretation]) -> dict[str, str]:
    """Later turns are follow-ups: their judgments override earlier ones per requirement."""
    judgments: dict[str, list[RequirementJudgment]] = {}
    reasons: dict[str, str | None] = {}
    for interpretation in turns:
        for reading in interpretation.readings:
            judgments[reading.control_id] = merge_judgments(
                judgments.get(reading.control_id, []), reading.judgments
            )
            reasons[reading.control_id] = reading.not_applicable_reason or reasons.get(reading.control_id)
    return {
        cid: score_control(kb.control(cid), found, reasons.get(cid)).status
        for cid, found in judgments.items()
    }
