from __future__ import annotations

from agent.kb import KnowledgeBase
from agent.retrieval.bm25 import Bm25, terms


def test_stopwords_never_score() -> None:
    assert terms("What do we do with the logs?") == ["log"]


def test_a_single_telling_word_ranks_the_control_that_uses_it(small_kb: KnowledgeBase) -> None:
    bm25 = Bm25(small_kb)
    assert bm25.rank("our yubikey rollout")[0] == "CC6-MFA-PROD"
    assert bm25.rank("does the splunk thing count")[0] == "CC7-MONITORING"
    assert bm25.rank("the of and") == []
    assert bm25.rank("zzzz qqqq") == []


def test_rarer_words_outweigh_common_ones(small_kb: KnowledgeBase) -> None:
    ranked = Bm25(small_kb).rank("security tabletop")
    assert ranked[0] == "CC7-IR-TEST"
    assert len(ranked) > 1
