"""A small, valid knowledge base written to a temp dir, so roadmap/report tests do not move with KB edits.

It goes through the real loader (with trimmed reference lists), so it obeys the same schema and
cross-checks as knowledge/.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from agent.kb import KnowledgeBase, load_knowledge
from agent.state import Finding, Profile, RequirementJudgment

REFERENCE = Path(__file__).resolve().parents[3] / "knowledge" / "reference"

# id, group, category, criteria, common_gap, iso, csf, owner, effort, depends_on, ask_with
CONTROLS: list[tuple[Any, ...]] = [
    ("CC1-POLICY", "CC1", "security", ["CC1.1"], None, ["A.5.1"], ["GV.PO-01"], "CEO", 3, [], []),
    ("CC2-TRAINING", "CC2", "security", ["CC2.2"], 10, ["A.6.3"], ["PR.AT-01"], "People ops", 2, [], []),
    (
        "CC4-ACCESS-CERT",
        "CC4",
        "security",
        ["CC4.1"],
        1,
        ["A.5.18"],
        ["PR.AA-05"],
        "IT / Security lead",
        3,
        ["CC1-POLICY"],
        ["CC5-ACCESS-REVIEW-DONE"],
    ),
    (
        "CC5-ACCESS-REVIEW-DONE",
        "CC5",
        "security",
        ["CC5.2"],
        1,
        ["A.5.18", "A.5.15"],
        ["PR.AA-05"],
        "IT / Security lead",
        2,
        ["CC1-POLICY"],
        ["CC4-ACCESS-CERT"],
    ),
    (
        "CC6-MFA-PROD",
        "CC6",
        "security",
        ["CC6.1"],
        2,
        ["A.8.5"],
        ["PR.AA-03"],
        "IT / Security lead",
        5,
        [],
        ["CC6-MFA-EMAIL"],
    ),
    (
        "CC6-MFA-EMAIL",
        "CC6",
        "security",
        ["CC6.1"],
        2,
        ["A.8.5"],
        ["PR.AA-03"],
        "IT / Security lead",
        1,
        [],
        ["CC6-MFA-PROD"],
    ),
    ("CC6-OFFBOARDING", "CC6", "security", ["CC6.2"], 3, ["A.5.11"], ["PR.AA-05"], "People ops", 4, [], []),
    (
        "CC6-ENCRYPT-REST",
        "CC6",
        "security",
        ["CC6.1"],
        None,
        ["A.8.24"],
        ["PR.DS-01"],
        "Engineering lead",
        3,
        [],
        ["CC6-ENCRYPT-TRANSIT"],
    ),
    (
        "CC6-ENCRYPT-TRANSIT",
        "CC6",
        "security",
        ["CC6.7"],
        None,
        ["A.8.24"],
        ["PR.DS-02"],
        "Engineering lead",
        2,
        [],
        ["CC6-ENCRYPT-REST"],
    ),
    (
        "CC6-NETWORK-SEG",
        "CC6",
        "security",
        ["CC6.6"],
        9,
        ["A.8.22"],
        ["PR.IR-01"],
        "Engineering lead",
        8,
        [],
        [],
    ),
    (
        "CC7-VULN-SCAN",
        "CC7",
        "security",
        ["CC7.1"],
        5,
        ["A.8.8"],
        ["ID.RA-01"],
        "Engineering lead",
        5,
        [],
        [],
    ),
    (
        "CC7-LOG-RETENTION",
        "CC7",
        "security",
        ["CC7.2"],
        8,
        ["A.8.15"],
        ["PR.PS-04"],
        "Engineering lead",
        2,
        [],
        [],
    ),
    (
        "CC7-IR-PLAN",
        "CC7",
        "security",
        ["CC7.3"],
        None,
        ["A.5.24"],
        ["RS.MA-01"],
        "CTO",
        4,
        [],
        ["CC7-IR-TEST"],
    ),
    (
        "CC7-IR-TEST",
        "CC7",
        "security",
        ["CC7.4"],
        6,
        ["A.5.24", "A.5.26"],
        ["ID.IM-02"],
        "CTO",
        2,
        ["CC7-IR-PLAN"],
        ["CC7-IR-PLAN"],
    ),
    (
        "CC8-SOD",
        "CC8",
        "security",
        ["CC8.1"],
        4,
        ["A.5.3", "A.8.32"],
        ["PR.PS-04"],
        "Engineering lead",
        2,
        [],
        [],
    ),
    ("CC9-VENDOR-LIST", "CC9", "security", ["CC9.2"], 7, ["A.5.19"], ["GV.SC-04"], "Operations", 3, [], []),
    (
        "CC9-VENDOR-REPORTS",
        "CC9",
        "security",
        ["CC9.2"],
        7,
        ["A.5.19"],
        ["GV.SC-07"],
        "Operations",
        4,
        ["CC9-VENDOR-LIST"],
        [],
    ),
    (
        "CC9-DPA",
        "CC9",
        "security",
        ["CC9.2"],
        None,
        ["A.5.20"],
        ["GV.SC-05"],
        "Operations",
        5,
        ["CC9-VENDOR-LIST"],
        [],
    ),
    ("A1-BCDR", "A1", "availability", ["A1.2"], None, ["A.5.30"], ["RC.RP-01"], "CTO", 10, [], []),
]

GAP_TITLES = {
    1: "No access review in the past 12 months",
    2: "MFA not enforced everywhere",
    3: "Offboarding is manual and slow",
    4: "Policies exist but are not followed",
    5: "Vulnerability scans missing or unauthenticated",
    6: "No documented incident response test",
    7: "Vendor list incomplete or unreviewed",
    8: "Log retention too short",
    9: "Production and development not separated",
    10: "Security training without records",
}


def _control(row: tuple[Any, ...]) -> dict[str, Any]:
    cid, group, category, criteria, gap, iso, csf, owner, effort, depends, ask_with = row
    slug = cid.lower()
    return {
        "id": cid,
        "seed": True,
        "group": group,
        "category": category,
        "title": f"Title of {cid}",
        "criteria": criteria,
        "question": f"How do you handle {slug}?",
        "follow_up": f"Can you show evidence for {slug}?",
        "ask_with": ask_with,
        "keywords": [slug],
        "requirements": [
            {"id": "exists", "aspect": "exists", "text": f"{cid} exists."},
            {"id": "coverage", "aspect": "coverage", "text": f"{cid} covers everything in scope."},
            {"id": "records", "aspect": "evidence", "text": f"{cid} leaves records.", "must_confirm": True},
        ],
        "evidence": [f"Evidence A for {cid}", f"Evidence B for {cid}"],
        "common_gap": gap,
        "remediation": {
            "steps": [f"First step for {cid}", f"Second step for {cid}"],
            "stack_examples": {
                "aws": [f"AWS example for {cid}"],
                "okta": [f"Okta example for {cid}"],
                "google": [f"Workspace example for {cid}"],
                "gitlab": [f"GitLab example for {cid}"],
            },
            "effort_days": effort,
            "owner": owner,
            "depends_on": depends,
        },
        "iso27001": iso,
        "nist_csf": csf,
    }


def write_small_kb(root: Path, rows: list[tuple[Any, ...]] | None = None) -> Path:
    rows = rows if rows is not None else CONTROLS
    (root / "criteria").mkdir(parents=True)
    (root / "controls").mkdir()
    (root / "reference").mkdir()
    for name in ("iso27001.yaml", "nist_csf.yaml"):
        shutil.copy(REFERENCE / name, root / "reference" / name)
    tsc = yaml.safe_load((REFERENCE / "tsc.yaml").read_text())["criteria"]
    used = {crit for row in rows for crit in row[3]}
    kept = [c for c in tsc if c["id"] in used]
    (root / "reference" / "tsc.yaml").write_text(yaml.safe_dump({"criteria": kept}))
    seeds = [{"id": r[0], "group": r[1], **({"common_gap": r[4]} if r[4] else {})} for r in rows]
    (root / "reference" / "seed_controls.yaml").write_text(yaml.safe_dump({"controls": seeds}))
    criteria = [
        {
            "id": c["id"],
            "category": c["category"],
            "group": c["group"],
            "title": f"Criterion {c['id']}",
            "summary": f"What criterion {c['id']} asks of an organization, in our words.",
            "auditor_examines": [f"records showing {c['id']} operates"],
        }
        for c in kept
    ]
    (root / "criteria" / "all.yaml").write_text(yaml.safe_dump({"criteria": criteria}))
    (root / "controls" / "all.yaml").write_text(yaml.safe_dump({"controls": [_control(r) for r in rows]}))
    ids = {r[0] for r in rows}
    gaps = [
        {
            "rank": rank,
            "title": title,
            "why_flagged": f"Auditors flag gap {rank} often",
            "evidence_that_closes": [f"Closing evidence for gap {rank}"],
            "control_ids": sorted(r[0] for r in rows if r[4] == rank) or sorted(ids)[:1],
        }
        for rank, title in GAP_TITLES.items()
    ]
    (root / "common_gaps.yaml").write_text(yaml.safe_dump({"common_gaps": gaps}))
    scoping = {
        "always_in_scope": ["security"],
        "triggers": [
            {
                "category": "availability",
                "profile_field": "uptime_commitments",
                "question": "Do your contracts promise uptime?",
                "in_scope_when": "contracts or SLAs commit to availability",
            }
        ],
        "timing": {
            "first_run_months_before": 6,
            "rerun_days_before": [30, 60],
            "default_observation_months": 3,
            "type1": "point in time",
            "type2": "over an observation window",
        },
    }
    (root / "scoping.yaml").write_text(yaml.safe_dump(scoping))
    return root


def load_small_kb(root: Path, rows: list[tuple[Any, ...]] | None = None) -> KnowledgeBase:
    return load_knowledge(write_small_kb(root, rows))


def finding(
    control_id: str,
    status: str,
    rationale: str = "",
    quotes: list[str] | None = None,
    failing: dict[str, str] | None = None,
    na_reason: str | None = None,
) -> Finding:
    """A finding as the scorer would leave it; `failing` maps requirement id -> verdict."""
    judgments = [RequirementJudgment(requirement_id=rid, verdict=v) for rid, v in (failing or {}).items()]  # type: ignore[arg-type]
    return Finding(
        control_id=control_id,
        status=status,  # type: ignore[arg-type]
        rationale=rationale or f"Scored {status} for {control_id}",
        rule="test",
        evidence_quotes=quotes or [],
        judgments=judgments,
        not_applicable_reason=na_reason,
    )


def profile(**overrides: Any) -> Profile:
    values: dict[str, Any] = {
        "company_name": "Acme Analytics",
        "employees": 25,
        "audit_type": "type2",
        "target_audit_date": "2027-09-01",
        "uptime_commitments": False,
        "cloud": "aws",
        "identity_provider": "okta",
        "email_suite": "google",
        "code_host": "github",
    }
    values.update(overrides)
    return Profile.model_validate(values)


SCENARIO: list[Finding] = [
    finding(
        "CC1-POLICY",
        "partial",
        "Policy last reviewed two years ago",
        ["Wrote it in 2024"],
        {"coverage": "partly_met"},
    ),
    finding(
        "CC2-TRAINING",
        "partial",
        "Training done, no completion records",
        ["We don't track it"],
        {"records": "unknown"},
    ),
    finding("CC4-ACCESS-CERT", "gap", "No access reviews have happened", ["No access reviews yet."]),
    finding(
        "CC5-ACCESS-REVIEW-DONE", "gap", "No access review in the audit period", ["No access reviews yet."]
    ),
    finding(
        "CC6-MFA-PROD",
        "partial",
        "MFA everywhere except the legacy admin panel",
        ["MFA everywhere except the legacy admin panel"],
        {"coverage": "partly_met"},
    ),
    finding("CC6-MFA-EMAIL", "implemented", "Workspace enforces 2SV for everyone", ["2-step is enforced"]),
    finding(
        "CC6-OFFBOARDING",
        "partial",
        "Access removed in about 3 days, not 24 hours",
        ["usually within 3 days | sometimes more"],
        {"coverage": "partly_met"},
    ),
    finding("CC6-ENCRYPT-REST", "gap", "Backups are not encrypted", ["backups are plain"]),
    finding("CC6-ENCRYPT-TRANSIT", "partial", "HTTP still served on one endpoint", ["one port 80 endpoint"]),
    finding(
        "CC6-NETWORK-SEG",
        "not_applicable",
        "No office network",
        ["We're fully remote, no office LAN"],
        na_reason="Fully remote company with no corporate network",
    ),
    finding("CC7-LOG-RETENTION", "partial", "Logs kept 90 days", ["CloudTrail goes to S3 for 90 days"]),
    finding("CC7-IR-PLAN", "gap", "No incident response plan", ["We'd figure it out on Slack"]),
    finding("CC7-IR-TEST", "gap", "No tabletop exercise", ["Never tested"]),
    finding(
        "CC8-SOD", "implemented", "Branch protection requires a second reviewer", ["one approving review"]
    ),
    finding("CC9-VENDOR-LIST", "partial", "Vendor list incomplete", ["a spreadsheet of the main ones"]),
    finding(
        "CC9-DPA",
        "unknown",
        "The user did not know whether DPAs are signed",
        ["Not sure, I'd have to ask legal"],
    ),
    finding("A1-BCDR", "gap", "No DR plan", ["No DR plan, we rely on AWS <script>alert(1)</script>"]),
]
