"""The plan over the real knowledge base: every in-scope control asked exactly once, ask_with honoured."""

from __future__ import annotations

from agent.kb import KnowledgeBase
from agent.kb.models import CATEGORIES
from agent.nodes.messages import control_question
from agent.planning import controls_in_scope, domain_sort_key, question_groups


def test_every_control_is_planned_once_with_its_ask_with_partners(kb: KnowledgeBase) -> None:
    scope = list(CATEGORIES)
    groups = question_groups(kb, scope)
    planned = [cid for group in groups for cid in group]
    assert sorted(planned) == sorted(c.id for c in controls_in_scope(kb, scope))
    where = {cid: i for i, group in enumerate(groups) for cid in group}
    for control in kb.controls:
        for partner in control.ask_with:
            assert where[partner] == where[control.id], (control.id, partner)


def test_groups_follow_the_domain_order(kb: KnowledgeBase) -> None:
    groups = question_groups(kb, ["security", "availability"])
    first_domains = [kb.control(group[0]).group for group in groups]
    assert first_domains == sorted(first_domains, key=domain_sort_key)
    assert first_domains[0] == "CC1" and first_domains[-1] == "A1"


def test_scope_limits_the_plan(kb: KnowledgeBase) -> None:
    planned = {cid for group in question_groups(kb, ["security"]) for cid in group}
    assert all(kb.control(cid).category == "security" for cid in planned)


def test_questions_name_the_stack(kb: KnowledgeBase) -> None:
    profile = {"cloud": "aws", "identity_provider": "okta", "email_suite": "google", "code_host": "github"}
    groups = question_groups(kb, ["security"])
    mfa_group = next(g for g in groups if "CC6-MFA-PROD" in g)
    text = control_question(kb, mfa_group, profile)
    bare = control_question(kb, mfa_group, {})
    assert text != bare
    assert "Okta" in text or "AWS" in text
    assert "Okta" not in bare and "AWS" not in bare
