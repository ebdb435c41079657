"""A small knowledge base and a scripted interpreter: the graph's own logic, tested without the real KB.

The scripted interpreter plugs in through the same Interpreter seam as the production ones. Its
answers are a tiny language so that each test states exactly what the "model" understood:

    "CC6-MFA-PROD enforced=met all-systems=partly_met"   explicit judgments (several lines allowed)
    "yes"          every requirement of every asked control met (face value)
    "no"           the first exists requirement of every asked control not met
    "not sure"     the user is unsure about every asked control
    "na: reason"   not applicable, with the reason
    "...?"         a question back
    "cmd:skip"     the interpreter recognised a command
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent.engine import Engine
from agent.interpret.base import InterpretRequest
from agent.kb import KnowledgeBase
from agent.kb.models import Control, Criterion, Remediation, Requirement, Scoping, Timing
from agent.state import ControlReading, Interpretation, RequirementJudgment

TODAY = date(2026, 11, 28)


def _control(
    cid: str,
    category: str,
    requirements: list[tuple[str, str, bool]],
    ask_with: tuple[str, ...] = (),
    keywords: tuple[str, ...] = ("policy",),
    question: str | None = None,
) -> Control:
    group = cid.split("-")[0]
    return Control(
        id=cid,
        group=group,
        category=category,  # type: ignore[arg-type]
        title=f"Title of {cid}",
        criteria=[f"{group}.1"],
        question=question or f"Question about {cid}?",
        follow_up=f"Follow-up about {cid}?",
        ask_with=list(ask_with),
        keywords=list(keywords),
        requirements=[
            Requirement(id=rid, text=f"Requirement {rid} of {cid}.", aspect=aspect, must_confirm=must)  # type: ignore[arg-type]
            for rid, aspect, must in requirements
        ],
        evidence=[f"Evidence for {cid}"],
        remediation=Remediation(steps=["First step.", "Second step."], effort_days=3, owner="CTO"),
        iso27001=["A.5.1"],
        nist_csf=["GV.PO-01"],
    )


def mini_kb() -> KnowledgeBase:
    controls = [
        _control("CC1-POLICY", "security", [("exists", "exists", False), ("reviewed", "cadence", True)]),
        _control("CC1-ROLES", "security", [("owner", "exists", False)], keywords=("security owner",)),
        _control(
            "CC6-MFA-PROD",
            "security",
            [
                ("enforced", "exists", False),
                ("all-systems", "coverage", False),
                ("provable", "evidence", False),
            ],
            ask_with=("CC6-MFA-EMAIL",),
            keywords=("mfa", "2fa"),
            question="Do people need a second factor to sign in to your cloud console?",
        ),
        _control("CC6-MFA-EMAIL", "security", [("enforced", "exists", False)], ask_with=("CC6-MFA-PROD",)),
        _control(
            "CC6-OFFBOARD",
            "security",
            [("exists", "exists", False), ("timely", "cadence", False), ("tickets", "evidence", True)],
            keywords=("offboarding",),
        ),
        _control("CC7-LOGS", "security", [("exists", "exists", False), ("retention", "cadence", False)]),
        _control("A1-BACKUP", "availability", [("exists", "exists", False), ("tested", "practice", False)]),
        _control("C1-CONF", "confidentiality", [("exists", "exists", False)]),
    ]
    criteria = [
        Criterion(
            id=f"{g}.1",
            category=cat,  # type: ignore[arg-type]
            group=g,
            title=f"Criterion {g}.1",
            summary="A paraphrased summary long enough for the schema.",
            auditor_examines=["Something"],
        )
        for g, cat in (("CC1", "security"), ("CC6", "security"), ("CC7", "security"), ("A1", "availability"))
        + (("C1", "confidentiality"),)
    ]
    scoping = Scoping(
        always_in_scope=["security"],
        triggers=[],
        timing=Timing(
            first_run_months_before=6,
            rerun_days_before=(30, 60),
            default_observation_months=3,
            type1="point in time",
            type2="over a window",
        ),
    )
    return KnowledgeBase(
        criteria=criteria, controls=controls, common_gaps=[], scoping=scoping, iso_titles={}, csf_titles={}
    )


class ScriptedInterpreter:
    name = "scripted"

    def __init__(self) -> None:
        self.requests: list[InterpretRequest] = []

    def interpret(self, request: InterpretRequest, kb: KnowledgeBase) -> Interpretation:
        self.requests.append(request)
        text = request.text.strip()
        if text.startswith("cmd:"):
            return Interpretation(command=text[4:], model_calls=1)
        if text.endswith("?"):
            return Interpretation(question_back=text, model_calls=1)
        readings: list[ControlReading] = []
        explicit = re.findall(r"([A-Z0-9]+-[A-Z0-9-]+)((?: [a-z0-9-]+=[a-z_]+)+)", text)
        if explicit:
            for cid, pairs in explicit:
                if cid not in request.open_controls and cid not in request.asked:
                    continue
                judgments = [
                    RequirementJudgment(requirement_id=rid, verdict=verdict, reason="stated", quotes=[text])  # type: ignore[arg-type]
                    for rid, verdict in re.findall(r"([a-z0-9-]+)=([a-z_]+)", pairs)
                ]
                readings.append(ControlReading(control_id=cid, judgments=judgments))
        elif text.lower().startswith("na:"):
            readings = [
                ControlReading(control_id=cid, not_applicable_reason=text[3:].strip())
                for cid in request.asked
            ]
        elif re.search(r"not sure|don'?t know", text.lower()):
            readings = [ControlReading(control_id=cid, user_unsure=True) for cid in request.asked]
        elif text.lower().startswith("no"):
            for cid in request.asked:
                first = next(r for r in kb.control(cid).requirements if r.aspect == "exists")
                judgment = RequirementJudgment(
                    requirement_id=first.id, verdict="not_met", reason="negated", quotes=[text]
                )
                readings.append(ControlReading(control_id=cid, judgments=[judgment]))
        elif text.lower().startswith("yes"):
            for cid in request.asked:
                judgments = [
                    RequirementJudgment(requirement_id=r.id, verdict="met", reason="affirmed", quotes=[text])
                    for r in kb.control(cid).requirements
                ]
                readings.append(ControlReading(control_id=cid, judgments=judgments))
        return Interpretation(readings=readings, model_calls=1, input_tokens=10, output_tokens=5)


class FakeHit:
    def __init__(self, hit_id: str) -> None:
        self.id = hit_id
        self.kind = "control"


class FakeRetriever:
    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.queries: list[str] = []

    def search(self, text: str, k: int = 5) -> list[Any]:
        self.queries.append(text)
        return [FakeHit(i) for i in self.ids[:k]]


INTAKE_ANSWERS = {
    "company_name": "Acme Analytics",
    "employees": "25 people",
    "audit_type": "Type II",
    "target_audit_date": "September 1, 2027",
    "uptime_commitments": "yes",
    "confidentiality_commitments": "no",
    "processing_integrity_commitments": "no",
    "privacy_commitments": "no",
    "cloud": "AWS",
    "identity_provider": "Okta",
    "email_suite": "Google Workspace",
    "code_host": "GitHub",
}


def finish_intake(engine: Engine, assessment_id: str, answers: dict[str, str] | None = None) -> Any:
    answers = {**INTAKE_ANSWERS, **(answers or {})}
    result = engine.get_state(assessment_id)
    turn = None
    while result.pending.kind == "intake":
        turn = engine.send(assessment_id, answers[str(result.pending.field)])
        result = engine.get_state(assessment_id)
    return turn
