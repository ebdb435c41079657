"""Writes a small but valid knowledge tree (every criterion, every seed control) for the retrieval tests.

Most seed controls get plain text derived from their seed statement; a handful get realistic jargon so
that exact-id and keyword matching have something to find.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from agent.kb.loader import default_knowledge_dir

JARGON: dict[str, dict[str, Any]] = {
    "CC6-MFA-PROD": {
        "title": "MFA enforced on every production system",
        "keywords": ["mfa", "2fa", "two-factor", "multi-factor", "yubikey", "totp"],
        "iso27001": ["A.8.5"],
        "nist_csf": ["PR.AA-03"],
        "criteria": ["CC6.1", "CC6.2"],
    },
    "CC7-MONITORING": {
        "title": "Security events are monitored and alerted on",
        "keywords": ["siem", "datadog", "splunk", "alerting", "guardduty"],
        "iso27001": ["A.8.16"],
        "nist_csf": ["DE.CM-01"],
        "criteria": ["CC7.2"],
    },
    "CC7-IR-TEST": {
        "title": "Incident response plan exercised in the last year",
        "keywords": ["tabletop", "game day", "ir drill", "incident simulation"],
        "iso27001": ["A.5.24"],
        "nist_csf": ["RS.MA-01"],
        "criteria": ["CC7.4", "CC7.5"],
    },
    "CC8-CHANGE-PROCESS": {
        "title": "Production changes go through review and approval",
        "keywords": ["cab", "pull request", "code review", "change ticket"],
        "iso27001": ["A.8.32"],
        "nist_csf": ["PR.PS-01"],
        "criteria": ["CC8.1"],
    },
    "A1-BCDR": {
        "title": "Continuity and disaster recovery plan tested",
        "keywords": ["bcp", "drp", "disaster recovery", "failover test"],
        "iso27001": ["A.5.30"],
        "nist_csf": ["RC.RP-01"],
        "criteria": ["A1.3"],
    },
}


def _reference(name: str) -> dict[str, Any]:
    return yaml.safe_load((default_knowledge_dir() / "reference" / f"{name}.yaml").read_text())


def _category(group: str) -> str:
    return {"A1": "availability", "C1": "confidentiality"}.get(group, "security")


def _control(seed: dict[str, Any], criteria_by_group: dict[str, list[str]]) -> dict[str, Any]:
    statement = seed["statement"]
    extra = JARGON.get(seed["id"], {})
    words = [w.strip("(),:").lower() for w in statement.split() if len(w) > 5][:3] or ["control"]
    return {
        "id": seed["id"],
        "seed": True,
        "group": seed["group"],
        "category": _category(seed["group"]),
        "title": extra.get("title", statement[:80]),
        "criteria": extra.get("criteria", criteria_by_group[seed["group"]][:1]),
        "question": f"Tell me about this: {statement}?",
        "follow_up": f"Can you show evidence that {statement.lower()}?",
        "keywords": extra.get("keywords", words),
        "requirements": [{"id": "exists", "aspect": "exists", "text": statement}],
        "evidence": [f"Records showing {statement.lower()}"],
        "common_gap": seed.get("common_gap"),
        "remediation": {
            "steps": [f"Decide who owns: {statement.lower()}", "Write it down and keep the records"],
            "effort_days": 3,
            "owner": "Security lead",
        },
        "iso27001": extra.get("iso27001", ["A.5.1"]),
        "nist_csf": extra.get("nist_csf", ["GV.OC-01"]),
    }


def write_knowledge(root: Path) -> Path:
    """Writes the tree under `root` and returns it; load it with load_knowledge(root)."""
    shutil.copytree(default_knowledge_dir() / "reference", root / "reference")
    tsc = _reference("tsc")["criteria"]
    seeds = _reference("seed_controls")["controls"]
    criteria_by_group: dict[str, list[str]] = {}
    for c in tsc:
        criteria_by_group.setdefault(c["group"], []).append(c["id"])
    criteria = [
        {
            "id": c["id"],
            "category": c["category"],
            "group": c["group"],
            "title": f"{c['group_name']} ({c['id']})",
            "summary": f"How the organization handles {c['group_name'].lower()}, point {c['id']}.",
            "auditor_examines": [f"Documents and records about {c['group_name'].lower()}"],
        }
        for c in tsc
    ]
    controls = [_control(s, criteria_by_group) for s in seeds]
    covered = {crit for c in controls for crit in c["criteria"]}
    rest = [c for c in tsc if c["id"] not in covered]
    controls.append(
        {
            "id": "PI1-PRIVACY-CATCHALL",
            "group": "PI1",
            "category": "processing_integrity",
            "title": "Processing integrity and privacy commitments are met",
            "criteria": [c["id"] for c in rest],
            "question": "How do you make sure data is processed completely and personal data is handled as promised?",
            "follow_up": "Who checks that?",
            "keywords": ["gdpr", "consent", "data subject request"],
            "requirements": [{"id": "exists", "aspect": "exists", "text": "Commitments are tracked."}],
            "evidence": ["Privacy notice and processing reconciliations"],
            "remediation": {
                "steps": ["Write the privacy notice", "Reconcile outputs"],
                "effort_days": 5,
                "owner": "Ops",
            },
            "iso27001": ["A.5.34"],
            "nist_csf": ["GV.OC-03"],
        }
    )
    gaps: dict[int, list[str]] = {}
    for s in seeds:
        if s.get("common_gap"):
            gaps.setdefault(s["common_gap"], []).append(s["id"])
    common_gaps = [
        {
            "rank": rank,
            "title": f"Common gap number {rank}",
            "why_flagged": f"Auditors often flag {', '.join(ids)}.",
            "evidence_that_closes": ["A dated record"],
            "control_ids": ids,
        }
        for rank, ids in sorted(gaps.items())
    ]
    scoping = {
        "always_in_scope": ["security"],
        "triggers": [
            {
                "category": "availability",
                "profile_field": "uptime_sla",
                "question": "Do your contracts promise uptime?",
                "in_scope_when": "an SLA is promised",
            }
        ],
        "timing": {
            "first_run_months_before": 6,
            "rerun_days_before": [30, 60],
            "default_observation_months": 3,
            "type1": "point in time",
            "type2": "over a period",
        },
    }
    _dump(root / "criteria" / "all.yaml", {"criteria": criteria})
    security = [c for c in controls if c["category"] == "security"]
    _dump(root / "controls" / "security.yaml", {"controls": security})
    _dump(
        root / "controls" / "other.yaml", {"controls": [c for c in controls if c["category"] != "security"]}
    )
    _dump(root / "common_gaps.yaml", {"common_gaps": common_gaps})
    _dump(root / "scoping.yaml", scoping)
    return root


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
