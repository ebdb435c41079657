"""When a control cannot apply: a clause that states the control's own not-applicable condition, and the
clauses after it that only restate that reason.
"""

from __future__ import annotations

import re

from agent.interpret.facts import ClauseFacts
from agent.interpret.lexicon import FUNCTION_WORDS
from agent.kb.models import Control

_NA_STOP = FUNCTION_WORDS | frozenset(
    [
        "only",
        "when",
        "user",
        "says",
        "must",
        "still",
        "also",
        "does",
        "whole",
        "there",
        "what",
        "they",
        "them",
        "such",
        "some",
        "other",
        "into",
        "over",
        "about",
        "because",
        "which",
        "while",
        "where",
        "system",
        "company",
    ]
)


def absorb_restatements(facts: list[ClauseFacts], na_facts: list[ClauseFacts], leads: bool) -> None:
    """Clauses that only restate why the control cannot apply join the reason instead of being judged:
    "..., so there's nothing there to put MFA on"; after an answer that opens with the reason, also
    the negated details that spell it out ("only our three engineers have roles, no outside access")."""
    first = facts.index(na_facts[0])
    for fact in facts[first + 1 :]:
        if fact in na_facts:
            continue
        same = any(fact.clause.sentence == n.clause.sentence for n in na_facts)
        norm = fact.clause.norm.lstrip(" ,")
        restates = re.match(r"^(so|which|only|and so|it'?s only|its only)\b", norm)
        claims_otherwise = fact.intent or fact.bad_practice or fact.coverage_exception or fact.unsure
        spells_out = leads and not claims_otherwise and (fact.negated or restates is not None)
        if (same and (restates or fact.negated or fact.not_applicable)) or spells_out:
            na_facts.append(fact)


def supports_not_applicable(control: Control, fact: ClauseFacts) -> bool:
    """A clause that gives the reason the control's own not-applicable condition names."""
    if control.not_applicable_when is None:
        return fact.explicit_not_applicable
    if fact.explicit_not_applicable:
        return True
    if fact.intent or fact.bad_practice:
        return False
    condition = {
        w for w in re.findall(r"[a-z]{4,}", control.not_applicable_when.lower()) if w not in _NA_STOP
    }
    said = {w for w in re.findall(r"[a-z]{3,}", fact.clause.norm) if w not in _NA_STOP}
    said |= {w[:-1] for w in said if w.endswith("s")}
    said |= {_NA_SYNONYMS[w] for w in said if w in _NA_SYNONYMS}
    if re.search(r"\b(?:nobody|no one|none|nothing|no) (?:\w+ )?(?:outside|external)\b", fact.clause.norm):
        said |= {"vendor", "contractor", "outside", "external", "third"}  # "nobody outside the team has..."
    overlap = condition & said
    # A negated clause needs two of the condition's words; a plain statement of it needs three.
    if fact.not_applicable or (fact.negated and len(overlap) >= 2):
        return True
    # "We only process it on our customers' instructions": a limiting statement of the condition itself.
    return len(overlap) >= 3 and bool(re.search(r"\b(only|solely|exclusively|purely)\b", fact.clause.norm))


_NA_SYNONYMS = {
    "prod": "production",
    "outsider": "vendor",
    "supplier": "vendor",
    "msp": "vendor",
    "agency": "vendor",
    "freelancer": "contractor",
    "consultant": "contractor",
    "corp": "corporate",
    "lan": "network",
}
