from __future__ import annotations

import pytest

from agent.kb import KnowledgeBase
from agent.retrieval.lexical import LexicalMatcher, _within_one_edit, stem, words


@pytest.fixture
def matcher(small_kb: KnowledgeBase) -> LexicalMatcher:
    return LexicalMatcher(small_kb)


def test_control_id_in_any_case_and_punctuation(matcher: LexicalMatcher) -> None:
    found = matcher.match_ids("what about cc6-mfa-prod, and CC7-IR-TEST?")
    assert found.controls == ["CC6-MFA-PROD", "CC7-IR-TEST"]


def test_criterion_iso_and_csf_ids_map_to_controls(matcher: LexicalMatcher) -> None:
    by_criterion = matcher.match_ids("Which controls cover CC7.2?")
    assert by_criterion.criteria == ["CC7.2"]
    assert "CC7-MONITORING" in by_criterion.mapped
    assert matcher.match_ids("ISO A.8.5").mapped == ["CC6-MFA-PROD"]
    assert matcher.match_ids("we map to PR.AA-03.").mapped == ["CC6-MFA-PROD"]
    assert matcher.match_ids("A.9.9 and ZZ-NOPE").mapped == []


def test_jargon_matches_whole_words_plurals_and_one_typo(matcher: LexicalMatcher) -> None:
    assert "CC6-MFA-PROD" in matcher.match_keywords("Everyone has 2FA on")
    assert "CC7-IR-TEST" in matcher.match_keywords("we ran two tabletops last year")
    assert "CC7-IR-TEST" in matcher.match_keywords("we did a tabeltop")
    assert "CC8-CHANGE-PROCESS" in matcher.match_keywords("changes need CAB sign-off")
    assert "CC8-CHANGE-PROCESS" not in matcher.match_keywords("the server cabinet is locked")
    assert "A1-BCDR" in matcher.match_keywords("Our BCP is from 2021")


def test_phrase_keywords_need_all_their_words(matcher: LexicalMatcher) -> None:
    assert "A1-BCDR" in matcher.match_keywords("we have a disaster recovery runbook")
    assert "A1-BCDR" not in matcher.match_keywords("recovery of passwords")


def test_rarer_and_longer_keywords_weigh_more(matcher: LexicalMatcher) -> None:
    scores = matcher.match_keywords("SIEM alerts and a tabletop incident simulation")
    assert scores["CC7-IR-TEST"][0] > scores["CC7-MONITORING"][0]


def test_stemming_and_edit_distance() -> None:
    assert stem("policies") == "policy"
    assert stem("vendors") == "vendor"
    assert stem("access") == "access"
    assert words("Tabletops, SIEMs!") == ["tabletop", "siem"]
    assert _within_one_edit("vulnerabilty", "vulnerability")
    assert _within_one_edit("tabeltop", "tabletop")
    assert not _within_one_edit("tablet", "tabletop")
