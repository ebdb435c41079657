"""The exact half of hybrid retrieval: framework ids and each control's jargon, matched in the query."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from agent.kb import KnowledgeBase

_ID_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]|[A-Za-z0-9]")
_WORD = re.compile(r"[a-z0-9]+")
_UPPER_TOKEN = re.compile(r"\b[A-Z]{3,6}s?\b")
# Words that do not make a term, so "do not sell" or "time to fix" never yields an acronym.
_NOT_TERMS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "do",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "to",
        "us",
        "we",
        "what",
        "who",
        "with",
    ]
)


def stem(word: str) -> str:
    """Just enough folding that 'tabletops', 'policies' and 'vendors' meet their keyword."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau distance <= 1, for the typos people make in jargon ('vulnerabilty', 'tabeltop')."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i = diffs[0]
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@dataclass
class IdMatch:
    """Controls named or implied by an exact id in the query, best first."""

    controls: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)


@dataclass
class KeywordIndex:
    # keyword (as a tuple of stemmed words) -> controls listing it
    phrases: dict[tuple[str, ...], set[str]]
    idf: dict[tuple[str, ...], float]
    # single long words, for the one-typo match and the prefix match ("redundan" -> "redundant")
    fuzzy_words: dict[str, tuple[str, ...]]
    # "CAB" -> ("change", "advisory", "board"): people type the initials of long jargon
    acronyms: dict[str, set[tuple[str, ...]]]


class LexicalMatcher:
    FUZZY_MIN_LEN = 5

    def __init__(self, kb: KnowledgeBase) -> None:
        self._control_ids = {c.id.upper(): c.id for c in kb.controls}
        self._criterion_ids = {c.id.upper(): c.id for c in kb.criteria}
        self._by_criterion: dict[str, list[str]] = defaultdict(list)
        self._by_iso: dict[str, list[str]] = defaultdict(list)
        self._by_csf: dict[str, list[str]] = defaultdict(list)
        for control in kb.controls:
            for crit in control.criteria:
                self._by_criterion[crit.upper()].append(control.id)
            for ref in control.iso27001:
                self._by_iso[ref.upper()].append(control.id)
            for ref in control.nist_csf:
                self._by_csf[ref.upper()].append(control.id)
        self._keywords = self._index_keywords(kb)

    @staticmethod
    def _index_keywords(kb: KnowledgeBase) -> KeywordIndex:
        phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for control in kb.controls:
            for keyword in control.keywords:
                phrase = tuple(words(keyword))
                if phrase:
                    phrases[phrase].add(control.id)
        total = max(len(kb.controls), 1)
        # Rare jargon ("tabletop") says more than a word many controls share ("access").
        idf = {p: math.log(1 + total / len(ids)) * (1 + 0.5 * (len(p) - 1)) for p, ids in phrases.items()}
        min_len = LexicalMatcher.FUZZY_MIN_LEN
        fuzzy: dict[str, tuple[str, ...]] = {p[0]: p for p in phrases if len(p) == 1 and len(p[0]) >= min_len}
        acronyms: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for control in kb.controls:
            for keyword in control.keywords:
                parts = re.findall(r"[a-z0-9]+", keyword.lower())
                if len(parts) >= 3 and not _NOT_TERMS.intersection(parts):
                    acronyms["".join(p[0] for p in parts)].add(tuple(words(keyword)))
        return KeywordIndex(phrases=dict(phrases), idf=idf, fuzzy_words=fuzzy, acronyms=dict(acronyms))

    def match_ids(self, text: str) -> IdMatch:
        found = IdMatch()
        for token in _ID_TOKEN.findall(text):
            key = token.upper().rstrip(".-")
            if key in self._control_ids:
                found.controls.append(self._control_ids[key])
            if key in self._criterion_ids:
                found.criteria.append(self._criterion_ids[key])
            for table in (self._by_criterion, self._by_iso, self._by_csf):
                found.mapped.extend(table.get(key, []))
        found.controls = list(dict.fromkeys(found.controls))
        found.mapped = [c for c in dict.fromkeys(found.mapped) if c not in found.controls]
        found.criteria = list(dict.fromkeys(found.criteria))
        return found

    def match_keywords(self, text: str) -> dict[str, tuple[float, list[str]]]:
        """control id -> (weight of its keywords found in the text, the keywords found)."""
        tokens = words(text)
        present: set[tuple[str, ...]] = set()
        grams = {tuple(tokens[i : i + n]) for n in range(1, 5) for i in range(len(tokens) - n + 1)}
        for phrase in self._keywords.phrases:
            if phrase in grams:
                present.add(phrase)
        for upper in _UPPER_TOKEN.findall(text):
            present.update(self._keywords.acronyms.get(upper.lower().removesuffix("s"), set()))
        for token in set(tokens):
            if len(token) < self.FUZZY_MIN_LEN or (token,) in present:
                continue
            for word, phrase in self._keywords.fuzzy_words.items():
                if token.startswith(word) or _within_one_edit(token, word):
                    present.add(phrase)
        # A keyword inside a longer matched keyword ("access" in "access review") is not a second signal.
        present = {p for p in present if not any(p != q and _contains(q, p) for q in present)}
        scores: dict[str, tuple[float, list[str]]] = {}
        for phrase in present:
            for control_id in self._keywords.phrases[phrase]:
                weight, found = scores.get(control_id, (0.0, []))
                scores[control_id] = (weight + self._keywords.idf[phrase], [*found, " ".join(phrase)])
        return scores


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))
