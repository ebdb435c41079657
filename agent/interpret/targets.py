"""Where a clause's facts land among a control's requirements, and the phrase shapes that decide it:
which aspect a shortfall hits, whether a threshold is met, whether a negation is the requirement itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.interpret.facts import ClauseFacts
from agent.interpret.lexicon import FUNCTION_WORDS
from agent.interpret.quantities import Quantity, satisfies
from agent.kb.models import Control, Requirement
from agent.scoring import GAP_ASPECTS
from agent.state import Verdict

DESCRIBES_IT = re.compile(
    r"^\s*(?:but |and |though |although )?(?:it|that|this|they|those|these|which)\s*"
    r"(?:isn'?t|is not|'s not|aren'?t|are not|'re not|wasn'?t|was not|weren'?t)\b(?! (?:done|used|in place|happening|"
    r"running|there|real|followed|enforced|working|kept|maintained|updated|reviewed|tested|done))"
)

# "We don't keep logs longer than 30 days": the negation caps the window, it is the window.
CAPPED = re.compile(
    r"\b(?:longer|more|further|beyond|past|over)(?: than)? (?:the |about |roughly |around )?(?:\d|a |one |two |"
    r"three |six |twelve |ninety |thirty |sixty |fourteen |seven )"
)

POINTS_BACK = re.compile(r"\b(?:those|these|them|they|that one|the rest|the others|other ones)\b")

# A negation that ends on the things it is about ("never looked into it for sendgrid or intercom") speaks of
# those things only.
SCOPED_TO_NAMES = re.compile(
    r"\b(?:for|with|on|in|at|from) (?!(?:the (?:whole|entire)|all|any|every|us|me|anything|everything|anyone)\b)"
    r"(?:the |our )?[a-z0-9][\w.-]*(?:(?:,| or| and|, or|, and) (?:the )?[a-z0-9][\w.-]*)*\s*[.!]?$"
)

RESTATES_LIMIT = re.compile(
    r"\b(?:beyond|past|longer than|after|more than|over|other than) (?:that|this|those|these|it)\b"
    r"|\b(?:never|not|didn'?t|haven'?t|hasn'?t) (?:\w+ )?(?:changed|touched|modified|tweaked|adjusted|extended|"
    r"configured) (?:anything|it|them|that|those|the defaults?|a thing)\b"
)


def has_threshold(control: Control) -> bool:
    return any(r.threshold is not None for r in control.requirements)


def judge_thresholds(
    reqs: list[Requirement],
    hit_reqs: list[Requirement],
    facts: ClauseFacts,
    put: Callable[[Requirement, Verdict, str], None],
    shortfall: Callable[[Requirement, str], None],
    negated: bool,
) -> set[str]:
    handled: set[str] = set()
    for req in threshold_reqs(reqs, hit_reqs, facts.quantities):
        tiered = bool(
            re.search(r"\b(then|archiv\w*|cold storage|glacier|after that|moved to)\b", facts.clause.norm)
        )
        result = satisfies(req.threshold, facts.quantities, tiered=tiered)  # type: ignore[arg-type]
        if result is None:
            continue
        handled.add(req.id)
        # "We've never done a yearly review": a cadence named under a negation is the one not kept.
        if result and not negated:
            put(req, "met", "threshold_met")
        else:
            shortfall(req, "threshold_miss")
    return handled


_GENERIC_COVERAGE = frozenset(
    {"all", "every", "everyone", "everything", "each", "any", "both", "whole", "entire"}
)


def specific_hit(words: list[str]) -> bool:
    return any(w.strip() not in _GENERIC_COVERAGE for w in words)


_SHORT_FORMS = {
    "prod": "production",
    "devs": "developers",
    "dev": "development",
    "db": "database",
    "dbs": "databases",
    "engineers": "developers",
    "creds": "credentials",
}


def negative_requirement(req: Requirement, norm: str) -> bool:
    """'No SSH port is reachable' is met by 'nothing has an SSH port open': the negation is the requirement."""
    text = req.text.lower()
    if not re.search(r"\b(no|not|never|nothing|nobody|none|no one)\b", text):
        return False
    if re.search(r"\(not optional\)|not only|not just", text):
        return False
    tokens = re.findall(r"[a-z0-9']+", text)
    req_words: set[str] = set()
    for i, token in enumerate(tokens):
        if token in ("no", "not", "never", "nothing", "nobody", "none", "without"):
            req_words.update(
                t for t in tokens[max(0, i - 5) : i + 7] if len(t) >= 3 and t not in FUNCTION_WORDS
            )
    for match in re.finditer(
        r"\b(no|not|never|nothing|nobody|none|without|can'?t|cannot|isn'?t|aren'?t|doesn'?t|don'?t)\b", norm
    ):
        window = re.findall(r"[a-z0-9]{2,}", norm[max(0, match.start() - 40) : match.end() + 40])
        overlap = {_SHORT_FORMS.get(w, w) for w in window if w not in FUNCTION_WORDS} & req_words
        if len(overlap) >= 2:
            return True
    return False


def done_already(facts: ClauseFacts) -> bool:
    """'We did one in March and will do the next in June' is done, not merely planned."""
    return any(q.kind == "age" for q in facts.quantities) and bool(
        re.search(r"\b(did|ran|held|completed|finished|done)\b", facts.clause.norm)
    )


def of_aspect(reqs: list[Requirement], aspect: str) -> list[Requirement]:
    return [r for r in reqs if r.aspect == aspect]


def first_of(*groups: list[Requirement]) -> Requirement | None:
    for group in groups:
        if group:
            return group[0]
    return None


def gap_target(
    reqs: list[Requirement], hit_reqs: list[Requirement], prefer: str, pattern: re.Pattern[str] | None = None
) -> Requirement | None:
    other = "exists" if prefer == "practice" else "practice"
    if pattern is not None:
        themed = [r for r in reqs if r.aspect in GAP_ASPECTS and pattern.search(r.text.lower())]
        if themed:
            return themed[0]
    return first_of(
        of_aspect(hit_reqs, prefer),
        of_aspect(reqs, prefer),
        of_aspect(hit_reqs, other),
        of_aspect(reqs, other),
    )


def mentions(control: Control, pattern: re.Pattern[str], gap_only: bool = False) -> bool:
    texts = [
        r.text + " " + " ".join(r.signals)
        for r in control.requirements
        if not gap_only or r.aspect in GAP_ASPECTS
    ]
    return bool(pattern.search(" ".join(texts).lower() + " " + control.title.lower()))


def threshold_reqs(
    reqs: list[Requirement], hit_reqs: list[Requirement], quantities: list[Quantity]
) -> list[Requirement]:
    if not quantities:
        return []
    with_threshold = [r for r in reqs if r.threshold is not None]
    hit = [r for r in with_threshold if r in hit_reqs]
    return hit or with_threshold
