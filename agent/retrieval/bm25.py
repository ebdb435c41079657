"""BM25 over each control's title, jargon and question: catches the single telling word ("admin",
"password", "restore") that neither an exact keyword phrase nor the embedding picks up."""

from __future__ import annotations

import math
from collections import Counter

from agent.kb import KnowledgeBase
from agent.kb.models import Control
from agent.retrieval.lexical import words

K1 = 1.2
B = 0.75
# Words that every control's text shares with every question; scoring them only adds noise.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "there",
        "they",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "what",
        "when",
        "who",
        "will",
        "with",
        "you",
        "your",
        "any",
        "all",
        "just",
    ]
)


def terms(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def control_text(control: Control) -> str:
    return " ".join([control.title, *control.keywords, control.question])


class Bm25:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._docs = {c.id: Counter(terms(control_text(c))) for c in kb.controls}
        self._lengths = {cid: sum(d.values()) for cid, d in self._docs.items()}
        n = max(len(self._docs), 1)
        self._avg_length = sum(self._lengths.values()) / n or 1.0
        df = Counter(term for d in self._docs.values() for term in d)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def rank(self, text: str, depth: int = 20) -> list[str]:
        query = set(terms(text)) & self._idf.keys()
        if not query:
            return []
        scores: dict[str, float] = {}
        for cid, doc in self._docs.items():
            norm = K1 * (1 - B + B * self._lengths[cid] / self._avg_length)
            score = sum(self._idf[t] * doc[t] * (K1 + 1) / (doc[t] + norm) for t in query if t in doc)
            if score > 0:
                scores[cid] = score
        return sorted(scores, key=lambda c: (-scores[c], c))[:depth]
