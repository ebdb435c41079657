"""Display names shared by the Markdown and HTML renderings."""

from __future__ import annotations

GROUP_LABELS: dict[str, str] = {
    "CC1": "Control environment",
    "CC2": "Communication and information",
    "CC3": "Risk assessment",
    "CC4": "Monitoring activities",
    "CC5": "Control activities",
    "CC6": "Logical and physical access",
    "CC7": "System operations",
    "CC8": "Change management",
    "CC9": "Risk mitigation and vendors",
    "A1": "Availability",
    "C1": "Confidentiality",
    "PI1": "Processing integrity",
    "P1": "Privacy notice",
    "P2": "Privacy choice and consent",
    "P3": "Privacy collection",
    "P4": "Privacy use, retention, disposal",
    "P5": "Privacy access",
    "P6": "Privacy disclosure and notification",
    "P7": "Privacy quality",
    "P8": "Privacy monitoring and enforcement",
}
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
    return f"{group} {GROUP_LABELS[group]}" if group in GROUP_LABELS else group
