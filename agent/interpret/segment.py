"""Cut an answer into sentences and clauses that keep their place in the original text.

Quotes shown in reports must be the user's own words, so every clause carries its span in the
original message; matching runs on a normalized copy (lower case, straight apostrophes, typos fixed).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from agent.interpret.lexicon import SHORT_ANSWER_AFTER_QUESTION

# Sentence ends: . ! ? or a line break, but not the dot inside "1.2", "e.g." or "v2.0".
_SENTENCE_END = re.compile(r"(?<!\b[a-z]\.[a-z])(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)[.!?]+(?=\s|$)|\n+")
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:though|yet)\b)|,?\s+(?=(?:but|although|however|whereas)\b)(?<!\ball)(?<!\beverything)(?<!\beverywhere)"
    r"(?<!\beveryone)(?<!\banything)(?<!\bnothing)(?<!\bnone)(?<!\banyone)(?<!\bnobody)"
    r"|,\s+(?=(?:and|so|plus|while|which)\s+(?:we|we'?re|we'?ve|our|they|it|its|the|there|i|nobody|no one|"
    r"nothing|every|each|all|none|she|he|that|this|those|these|people|engineers|admins|anyone|someone|"
    r"isn'?t|is not|doesn'?t|don'?t|never)\b)"
    r"|\s+(?=and (?:plan|want|hope|intend|will|would like)\b)"
    r"|,\s+(?=(?:everything|everyone|nothing|nobody|no one|it'?s|its|we|we'?re|we'?ve|they|there'?s|there is|"
    r"so|which|only|dev|prod|but)\b)"
    r"|\s+[-\u2013\u2014]+\s+"
    r"|,\s+(?=(?:though|except that|other than that|apart from that)\b)"
    r"|;\s+|:\s+(?=[a-z]+ [a-z]+ [a-z]+)",
    re.IGNORECASE,
)
_CONNECTOR_ONLY = re.compile(
    r"^[\s,;:\-\u2013\u2014]*(?:but|though|although|however|and|so|yet)?[\s,.;:!?]*$", re.I
)
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
CONTRAST_START = re.compile(
    r"^(?:but|though|although|however|whereas|yet|except|apart from|other than|besides)\b"
)


@dataclass
class Clause:
    start: int
    end: int
    quote: str
    norm: str
    sentence: int
    is_question: bool = False
    contrast: bool = False
    line: int = 0
    guess: bool = False  # a statement with a rising voice: "so 90 days?"


@dataclass
class Segmented:
    clauses: list[Clause]
    sentences: list[tuple[int, int]] = field(default_factory=list)


def normalize(text: str, corrector: TypoCorrector | None = None) -> str:
    norm = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    norm = norm.replace("\u201c", '"').replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    norm = re.sub(r"\bat all\b", " ", norm)
    if corrector is not None:
        norm = corrector.correct(norm)
    return re.sub(r"[ \t]+", " ", norm)


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        # "HTTP redirects? No." is one statement: a question the user answers themselves.
        if match.group(0).startswith("?") and SHORT_ANSWER_AFTER_QUESTION.match(text[end:].lower()):
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in spans) if e > s]


# A question is built as one: a question word or an auxiliary leads it or one of its parts. "CloudTrail
# keeps the default, so 90 days?" is a statement said with a rising voice, a hedged claim.
_INTERROGATIVE = re.compile(
    r"(?:^|[,;:(]\s*|\b(?:so|and|but|or|ok|okay|also|then|like|um|uh|hmm|wait)\s+)"
    r"(?:what|how|which|who|whom|whose|when|where|why|do|does|did|is|are|was|were|can|could|should|"
    r"would|will|shall|may|might|must|have|has|had|am|isn'?t|aren'?t|doesn'?t|don'?t|didn'?t|"
    r"wouldn'?t|shouldn'?t|won'?t|can'?t)\b"
)


def asks_something(sentence: str) -> bool:
    """Interrogative in form, or a short echo of the topic ("Background checks?") that claims nothing."""
    words = re.findall(r"[\w'/-]+", sentence)
    return len(words) <= 3 or bool(_INTERROGATIVE.search(sentence.strip().lower()))


def segment(text: str, corrector: TypoCorrector | None = None) -> Segmented:
    clauses: list[Clause] = []
    sentences = split_sentences(text)
    for index, (s_start, s_end) in enumerate(sentences):
        sentence = text[s_start:s_end]
        rising = sentence.rstrip().endswith("?")
        is_question = rising and asks_something(sentence)
        breaks = {m.end() for m in _CLAUSE_BREAK.finditer(sentence)} | _comma_clauses(sentence)
        cuts = [0, *sorted(breaks), len(sentence)]
        for position, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)):
            start, end = _strip(text, s_start + a, s_start + b)
            piece = text[start:end]
            if end <= start or _CONNECTOR_ONLY.match(piece):
                continue
            norm = normalize(piece, corrector)
            clauses.append(
                Clause(
                    start=start,
                    end=end,
                    quote=piece,
                    norm=norm,
                    sentence=index,
                    is_question=is_question,
                    contrast=position > 0 and bool(CONTRAST_START.match(norm.lstrip(" ,"))),
                    line=text.count("\n", 0, start),
                    guess=rising and not is_question,
                )
            )
    return Segmented(clauses=clauses, sentences=sentences)


_LIST_CONTINUES = re.compile(
    r"(?:and|or|a|an|the|which|who|whom|whose|with|including|such|like|e\.g|i\.e|etc|plus|as|in|on|at|for|from|to|"
    r"of|by|via|especially|mostly|mainly|but|though|so|then|yet|not|no|all|both|each|every)\b",
    re.I,
)


def _comma_clauses(sentence: str) -> set[int]:
    """'Devs have no prod access, break-glass is approved and logged, deploys only via CI': three claims.

    A comma starts a new clause when both sides are long enough to be claims and the right side does not
    continue a list or a phrase ("AWS, the VPN and the admin panel" stays whole), so a negation stays in
    the claim it belongs to.
    """
    cuts: set[int] = set()
    last = 0
    for match in re.finditer(r",\s+", sentence):
        left = sentence[last : match.start()].split()
        right = sentence[match.end() :]
        right_words = re.split(r"[,;]", right, maxsplit=1)[0].split()
        if len(left) >= 4 and len(right_words) >= 3 and not _LIST_CONTINUES.match(right):
            cuts.add(match.end())
            last = match.end()
    return cuts


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\n,;:-\u2013\u2014":
        start += 1
    while end > start and text[end - 1] in " \t\r\n,;:-\u2013\u2014":
        end -= 1
    return start, end


class TypoCorrector:
    """Maps misspelled words ("acess", "enforcd", "quartely") onto the words the lexicon knows.

    Only words of five letters or more that appear nowhere in the knowledge base are corrected, and
    only onto meaningful targets, so ordinary English passes through untouched.
    """

    def __init__(self, targets: Iterable[str], known: Iterable[str]):
        self._targets = sorted({t for t in targets if len(t) >= 5 and t.isalpha()})
        self._known = frozenset(known) | frozenset(self._targets)
        self._by_initial: dict[str, list[str]] = {}
        for word in self._targets:
            self._by_initial.setdefault(word[0], []).append(word)
        self._cache: dict[str, str] = {}

    def correct(self, text: str) -> str:
        return _WORD.sub(lambda m: self.word(m.group(0)), text)

    def word(self, word: str) -> str:
        if len(word) < 5 or word in self._known or not word.isalpha():
            return word
        for suffix in ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ment", "ments"):
            if word.endswith(suffix) and word[: -len(suffix)] in self._known:
                return word
        cached = self._cache.get(word)
        if cached is None:
            pool = [t for t in self._by_initial.get(word[0], ()) if abs(len(t) - len(word)) <= 2]
            match = difflib.get_close_matches(word, pool, n=1, cutoff=0.84)
            # "manage" is a word, not a typo of "manager": never stretch a word into a longer one it starts.
            cached = match[0] if match and _typo_of(word, match[0]) else word
            self._cache[word] = cached
        return cached


def _typo_of(word: str, target: str) -> bool:
    """Typing slips only: letters dropped ("acess"), one doubled or extra, or two swapped ("quartelry").

    A different letter in the same place ("sitting"/"setting") is usually another real word, and a word
    that starts another ("manage"/"manager") is one too.
    """
    if target.startswith(word) or word.startswith(target):
        return False
    if len(word) < len(target):
        return _is_subsequence(word, target)
    if len(word) == len(target) + 1:
        return _is_subsequence(target, word)
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and word[diffs[0]] == target[diffs[1]]
    return False


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Everyday words that look like lexicon words but must never be 'corrected' into them."""
    return frozenset(
        [
            "about",
            "above",
            "after",
            "again",
            "against",
            "because",
            "before",
            "being",
            "below",
            "between",
            "could",
            "doing",
            "during",
            "every",
            "further",
            "having",
            "their",
            "there",
            "these",
            "those",
            "through",
            "under",
            "until",
            "while",
            "would",
            "should",
            "which",
            "people",
            "person",
            "whatever",
            "given",
            "gives",
            "given",
            "since",
            "still",
            "other",
            "others",
            "another",
            "things",
            "think",
            "thing",
            "where",
            "whose",
            "years",
            "months",
            "weeks",
            "hours",
            "minutes",
            "seconds",
            "today",
            "tomorrow",
            "yesterday",
            "company",
            "companies",
            "startup",
            "honestly",
            "basically",
            "actually",
            "really",
            "little",
            "maybe",
            "never",
            "always",
            "often",
        ]
    )
