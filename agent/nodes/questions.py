"""Questions the person asks back ("what counts as evidence here?"), answered from the knowledge base."""

from __future__ import annotations

from typing import Any

from agent.nodes.base import GraphDeps, GraphState
from agent.nodes.messages import render
from agent.state import Interpretation


def _related(deps: GraphDeps, asked_back: str, pending_ids: list[str], scope: list[str]) -> list[str]:
    """Top retrieval hits beyond the pending controls, each citing its criteria.

    The search is grounded in the pending controls' titles, because "what counts as evidence here?"
    says nothing by itself; controls outside the assessment's scope would only confuse.
    """
    grounding = " ".join(deps.kb.control(cid).title for cid in pending_ids if cid in deps.kb.control_by_id)
    lines: list[str] = []
    for hit in deps.retriever.search(f"{asked_back} {grounding}".strip(), k=5) if deps.retriever else []:
        if len(lines) == 2:
            break
        hit_id = str(getattr(hit, "id", ""))
        related = deps.kb.control_by_id.get(hit_id)
        criterion = deps.kb.criterion_by_id.get(hit_id)
        if related is not None and hit_id not in pending_ids and related.category in scope:
            lines.append(
                render(
                    "question_back_hit", id=hit_id, title=related.title, criteria=", ".join(related.criteria)
                )
            )
        elif criterion is not None and criterion.category in scope:
            lines.append(render("question_back_criterion", id=hit_id, title=criterion.title))
    return lines


def kb_answer(state: GraphState, deps: GraphDeps, asked_back: str) -> str:
    """What the pending controls require and what evidence counts, plus related controls from retrieval."""
    pending_ids = list((state.get("pending") or {}).get("control_ids") or [])
    parts = []
    for cid in pending_ids:
        control = deps.kb.control(cid)
        parts.append(
            render(
                "question_back_control",
                title=control.title,
                criteria=", ".join(control.criteria),
                requirement=" ".join(r.text for r in control.requirements),
                evidence="; ".join(control.evidence),
            )
        )
    parts += _related(deps, asked_back, pending_ids, list(state.get("scope") or ["security"]))
    return "\n\n".join(parts) or render("question_back_nothing")


def answer_question(state: GraphState, deps: GraphDeps) -> dict[str, Any]:
    """Answers a question asked back, then repeats the pending question."""
    interpretation = Interpretation.model_validate(state.get("interpretation") or {})
    answer = kb_answer(state, deps, interpretation.question_back or state.get("last_input", ""))
    question = str(state.get("question") or "")
    outbox = [*(state.get("outbox") or []), render("question_back", answer=answer, question=question)]
    return {"outbox": outbox, "ask_text": "", "ask_new": False, "step": "reask"}
