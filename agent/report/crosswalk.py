"""ISO 27001:2022 and NIST CSF 2.0 statuses derived from the SOC 2 controls the assessment scored."""

from __future__ import annotations

from agent.kb import KnowledgeBase
from agent.report.models import CrosswalkEntry
from agent.state import Finding

# Weakest first; see CROSSWALK_DEFINITION for why unknown sits between partial and implemented.
WEAKEST_FIRST: tuple[str, ...] = ("gap", "partial", "unknown", "implemented", "not_applicable")
FRAMEWORKS: tuple[str, ...] = ("iso27001", "nist_csf")


def derived_status(statuses: list[str]) -> str:
    return min(statuses, key=WEAKEST_FIRST.index)


def _sort_key(ref: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in ref.replace("-", ".").split("."))


def crosswalk(kb: KnowledgeBase, scored: dict[str, Finding]) -> dict[str, list[CrosswalkEntry]]:
    """`scored` holds only in-scope findings; an id no scored control reaches is left out."""
    titles = {"iso27001": kb.iso_titles, "nist_csf": kb.csf_titles}
    result: dict[str, list[CrosswalkEntry]] = {}
    for framework in FRAMEWORKS:
        behind: dict[str, dict[str, str]] = {}
        for control_id, finding in scored.items():
            for ref in getattr(kb.control(control_id), framework):
                behind.setdefault(ref, {})[control_id] = finding.status
        result[framework] = [
            CrosswalkEntry(
                id=ref,
                title=titles[framework].get(ref, ""),
                status=derived_status(list(controls.values())),
                controls=controls,
            )
            for ref, controls in sorted(behind.items(), key=lambda kv: _sort_key(kv[0]))
        ]
    return result
