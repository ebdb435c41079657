"""Display names shared by the Markdown and HTML renderings."""

from __future__ import annotations

from agent.kb.loader import group_labels

STATUS_LABELS: dict[str, str] = {
    "implemented": "Implemented",
    "partial": "Partial",
    "gap": "Gap",
    "not_applicable": "Not applicable",
    "unknown": "Unknown",
}
# The order statuses are shown in: best first, the way a reader scans a readiness chart.
STATUS_ORDER: tuple[str, ...] = ("implemented", "partial", "gap", "unknown", "not_applicable")
SCOPE_LABELS: dict[str, str] = {
    "security": "Security",
    "availability": "Availability",
    "confidentiality": "Confidentiality",
    "processing_integrity": "Processing Integrity",
    "privacy": "Privacy",
}
AUDIT_LABELS: dict[str, str] = {"type1": "Type I", "type2": "Type II"}
FRAMEWORK_LABELS: dict[str, str] = {"iso27001": "ISO/IEC 27001:2022 Annex A", "nist_csf": "NIST CSF 2.0"}


def group_label(group: str) -> str:
    labels = group_labels()
    return f"{group} {labels[group]}" if group in labels else group
