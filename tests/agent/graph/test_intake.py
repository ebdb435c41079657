from __future__ import annotations

from datetime import date

import pytest

from agent.engine import Engine
from agent.intake import IntakeError, parse_field
from agent.narrative_facts import extract_facts, looks_like_narrative
from tests.agent.graph.scripted import INTAKE_ANSWERS, TODAY, ScriptedInterpreter


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("audit_type", "Type II", "type2"),
        ("audit_type", "type 1 for now", "type1"),
        ("audit_type", "II", "type2"),
        ("employees", "25 people", 25),
        ("employees", "about 40, plus 3 contractors", 40),
        ("employees", "twenty", 20),
        ("employees", "20-30", 25),
        ("target_audit_date", "September 1, 2027", date(2027, 9, 1)),
        ("target_audit_date", "2027-09-01", date(2027, 9, 1)),
        ("target_audit_date", "1st of March 2027", date(2027, 3, 1)),
        ("target_audit_date", "Q3 2027", date(2027, 7, 1)),
        ("target_audit_date", "sometime in June 2027", date(2027, 6, 1)),
        ("uptime_commitments", "yes", True),
        ("uptime_commitments", "Yep, 99.9% in the enterprise contracts", True),
        ("privacy_commitments", "no", False),
        ("privacy_commitments", "We don't, it's all B2B", False),
        ("cloud", "AWS", "aws"),
        ("cloud", "we're on Google Cloud", "gcp"),
        ("cloud", "Hetzner", "other"),
        ("identity_provider", "Okta", "okta"),
        ("identity_provider", "Azure AD", "microsoft"),
        ("email_suite", "Google Workspace", "google"),
        ("email_suite", "Outlook / M365", "microsoft"),
        ("code_host", "GitHub", "github"),
        ("code_host", "bitbucket", "other"),
        ("company_name", "We're Acme Analytics.", "Acme Analytics"),
    ],
)
def test_answers_are_read(field: str, text: str, value: object) -> None:
    parsed = parse_field(field, text, TODAY)
    assert parsed.value == value
    assert not parsed.unsure


@pytest.mark.parametrize("field", ["cloud", "identity_provider", "audit_type", "privacy_commitments"])
def test_not_sure_is_an_answer_where_it_can_be(field: str) -> None:
    parsed = parse_field(field, "I'm not sure", TODAY)
    assert parsed.unsure and parsed.value is None


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("employees", "a lot"),
        ("employees", "I'm not sure"),
        ("audit_type", "the normal one"),
        ("target_audit_date", "soon"),
        ("target_audit_date", "January 5, 2020"),
        ("uptime_commitments", "it depends on the customer tier"),
        ("company_name", ""),
    ],
)
def test_unreadable_answers_raise_a_hint(field: str, text: str) -> None:
    with pytest.raises(IntakeError) as err:
        parse_field(field, text, TODAY)
    assert str(err.value)


def test_narrative_facts_are_only_the_explicit_ones() -> None:
    story = (
        "We're Tallyhound, 60 people, and we reconcile payouts. Everything runs in AWS, Okta is our IdP, "
        "email is Microsoft 365 and code lives in GitLab. Customers get a 99.9% uptime SLA, and we want "
        "our Type II audit done by June 30, 2027."
    )
    assert looks_like_narrative(story)
    assert extract_facts(story, TODAY) == {
        "company_name": "Tallyhound",
        "employees": 60,
        "audit_type": "type2",
        "target_audit_date": date(2027, 6, 30),
        "uptime_commitments": True,
        "code_host": "gitlab",
        "identity_provider": "okta",
        "email_suite": "microsoft",
        "cloud": "aws",
    }


def test_negated_sla_in_a_narrative_means_no_commitment() -> None:
    facts = extract_facts("We're a tiny team of 8 on Google Cloud and don't offer any SLAs yet.", TODAY)
    assert facts["uptime_commitments"] is False
    assert facts["employees"] == 8
    assert facts["cloud"] == "gcp"
    assert "company_name" not in facts


def test_short_answers_are_not_narratives() -> None:
    assert not looks_like_narrative("Acme Analytics")
    assert not looks_like_narrative("Yes, 99.9% for enterprise customers.")


def test_intake_asks_every_field_once_in_order(engine: Engine) -> None:
    result = engine.start("intake-order")
    asked = []
    while result.pending.kind == "intake":
        asked.append(result.pending.field)
        result = engine.send("intake-order", INTAKE_ANSWERS[str(result.pending.field)])
    assert asked == list(INTAKE_ANSWERS)
    view = engine.get_state("intake-order")
    assert view.profile.audit_type == "type2"
    assert view.profile.target_audit_date == date(2027, 9, 1)
    assert view.profile.employees == 25
    assert view.profile.identity_provider == "okta"
    assert view.scope == ["security", "availability"]
    assert view.stats["questions"] == len(INTAKE_ANSWERS) + 1  # plus the first control question


def test_bad_answer_is_reasked_with_a_hint_and_not_counted(engine: Engine) -> None:
    engine.start("bad")
    engine.send("bad", "Acme")
    result = engine.send("bad", "quite a few")
    assert result.pending.field == "employees"
    assert "number" in result.messages[-1]
    assert "How many people" in result.messages[-1]
    questions = engine.get_state("bad").stats["questions"]
    result = engine.send("bad", "25")
    assert result.pending.field == "audit_type"
    assert engine.get_state("bad").stats["questions"] == questions + 1


def test_a_question_about_an_intake_field_is_explained(engine: Engine) -> None:
    engine.start("explain")
    engine.send("explain", "Acme")
    engine.send("explain", "25")
    result = engine.send("explain", "What's the difference?")
    assert result.pending.field == "audit_type"
    assert "observation window" in result.messages[-1]


def test_not_sure_about_the_stack_moves_on(engine: Engine) -> None:
    engine.start("unsure")
    result = None
    for field in list(INTAKE_ANSWERS)[:8]:
        result = engine.send("unsure", INTAKE_ANSWERS[field])
    assert result is not None and result.pending.field == "cloud"
    result = engine.send("unsure", "I'm not sure")
    assert result.pending.field == "identity_provider"
    assert engine.get_state("unsure").profile.cloud is None


def test_narrative_first_message_fills_intake_and_settles_controls(
    engine: Engine, interpreter: ScriptedInterpreter
) -> None:
    engine.start("story")
    story = (
        "We're Acme Analytics, a 25-person SaaS on AWS with Okta and GitHub, and we promise 99.9% uptime.\n"
        "CC6-MFA-PROD enforced=met all-systems=met provable=met\n"
        "CC1-POLICY exists=met"
    )
    result = engine.send("story", story)
    assert "25 people" in result.messages[0]
    assert result.pending.field == "audit_type"  # company, size and SLA were in the story
    asked = []
    while result.pending.kind == "intake":
        asked.append(result.pending.field)
        result = engine.send("story", INTAKE_ANSWERS[str(result.pending.field)])
    assert "company_name" not in asked and "employees" not in asked and "uptime_commitments" not in asked
    assert "cloud" not in asked and "identity_provider" not in asked and "code_host" not in asked
    assert "email_suite" in asked

    narrative_request = interpreter.requests[0]
    assert narrative_request.asked == []
    assert "A1-BACKUP" in narrative_request.open_controls  # read against every planned control
    assert any("CC6-MFA-PROD" in m for m in result.messages)  # credited in the plan message
    view = engine.get_state("story")
    mfa = next(f for f in view.findings if f.control_id == "CC6-MFA-PROD")
    assert mfa.status == "implemented"
    assert mfa.evidence_quotes == [story]
    # CC1-POLICY still has a must-confirm requirement open, so it is asked; MFA is not.
    assert result.pending.control_ids == ["CC1-POLICY"]
    seen = set()
    while result.status != "complete":
        seen.update(result.pending.control_ids)
        result = engine.send("story", "yes")
    assert "CC6-MFA-PROD" not in seen
    assert "CC6-MFA-EMAIL" in seen


def test_google_or_microsoft_sign_in_implies_the_email_suite(engine: Engine) -> None:
    engine.start("suite")
    result = None
    for field in list(INTAKE_ANSWERS)[:9]:
        result = engine.send("suite", INTAKE_ANSWERS[field])
    assert result is not None and result.pending.field == "identity_provider"
    result = engine.send("suite", "Google Workspace")
    assert result.pending.field == "code_host"
    assert engine.get_state("suite").profile.email_suite == "google"


def test_one_stack_answer_naming_several_tools_answers_them_all(engine: Engine) -> None:
    engine.start("stack")
    result = None
    for field in list(INTAKE_ANSWERS)[:8]:
        result = engine.send("stack", INTAKE_ANSWERS[field])
    assert result is not None and result.pending.field == "cloud"
    result = engine.send("stack", "AWS, everyone signs in with Okta, and the code is on GitHub")
    assert result.pending.field == "email_suite"
    profile = engine.get_state("stack").profile
    assert (profile.cloud, profile.identity_provider, profile.code_host) == ("aws", "okta", "github")
