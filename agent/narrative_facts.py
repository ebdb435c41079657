"""Intake facts stated in a first narrative ("We're Tallyhound, 60 people, on AWS with Okta...")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent.intake import CLOUD_NAMES, CODE_NAMES, IDP_NAMES, find_date, match_names

# In a story "Google" alone may be the cloud or the IdP; only product names count as the email suite.
NARRATIVE_EMAIL_NAMES: dict[str, tuple[str, ...]] = {
    "google": ("google workspace", "gmail", "g suite", "gsuite"),
    "microsoft": ("microsoft 365", "office 365", "m365", "o365", "outlook", "exchange online"),
}


def looks_like_narrative(text: str) -> bool:
    """A first message that tells a story rather than answering the one question asked."""
    words = len(text.split())
    sentences = len([s for s in re.split(r"[.!?\n]+", text) if s.strip()])
    return words >= 18 or (words >= 10 and sentences >= 2)


_NEGATION = r"(?:no|not|don'?t|doesn'?t|do not|never|without|aren'?t|isn'?t)"


def extract_facts(text: str, today: date) -> dict[str, Any]:
    """Intake facts a narrative states plainly; only explicit ones (a wrong fact costs more than asking)."""
    facts: dict[str, Any] = {}
    lowered = text.lower()

    name = re.search(
        r"\b(?i:we(?:'re| are)|this is|i'?m (?:the )?\w+ (?:at|of)|i work at|company is|called)\s+"
        r"((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*){0,3})",
        text,
    )
    if name and name.group(1).lower() not in {"a", "an", "the", "we", "our"}:
        facts["company_name"] = name.group(1).rstrip(".,")

    size = re.search(
        r"\b(\d{1,6})[\s-]*(?:person|people|employees|staff|headcount|member|folks|fte)s?\b", lowered
    ) or re.search(r"\bteam of (\d{1,6})\b", lowered)
    if size:
        facts["employees"] = int(size.group(1))

    if re.search(r"\btype\s*(?:ii|2)\b", lowered):
        facts["audit_type"] = "type2"
    elif re.search(r"\btype\s*(?:i|1)\b", lowered):
        facts["audit_type"] = "type1"

    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if re.search(r"\b(?:audit|soc ?2|auditor)\b", sentence.lower()):
            found = find_date(sentence)
            if found and found > today:
                facts["target_audit_date"] = found
                break

    sla = re.search(
        r"\b(?:uptime|availability)\s+(?:sla|commitment|guarantee)s?\b|\bslas?\b|\b99\.\d+ ?%", lowered
    )
    if sla:
        before = lowered[max(0, sla.start() - 40) : sla.start()]
        facts["uptime_commitments"] = not re.search(rf"\b{_NEGATION}\b", before)

    stack_tables: list[tuple[str, dict[str, tuple[str, ...]]]] = [
        ("code_host", CODE_NAMES),
        ("identity_provider", {"okta": IDP_NAMES["okta"], "microsoft": ("entra", "azure ad")}),
        ("email_suite", NARRATIVE_EMAIL_NAMES),
    ]
    for field_name, table in stack_tables:
        product = match_names(lowered, table)
        if product:
            facts[field_name] = product
    cloud_text = re.sub(r"azure ad|azure active directory", "", lowered)
    cloud = match_names(
        cloud_text, {"aws": ("aws", "amazon web services"), **{k: CLOUD_NAMES[k] for k in ("gcp", "azure")}}
    )
    if cloud:
        facts["cloud"] = cloud
    if "identity_provider" not in facts and re.search(
        r"\b(?:sso|sign[- ]in) (?:with|via|through) google\b", lowered
    ):
        facts["identity_provider"] = "google"
    return facts
