"""What one clause says, before anyone asks which control it is about.

Negated? Only planned? An exception to coverage? Records named or missing? A bad practice stated as
fact? Durations and dates? Each answer is a field of ClauseFacts; judge.py aims them at requirements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from agent.interpret import lexicon as lx
from agent.interpret.quantities import Quantity, find_quantities
from agent.interpret.segment import Clause

_UNIT_AFTER = re.compile(
    r"^\s*(?:of )?(?:the )?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|quarters?|times?|"
    r"more|less|cases?|degree|extent|point)\b"
)
_NOT_EXCEPTION_AFTER = re.compile(
    r"^\s*(?:the |its |their |his |her )?(?:author|authors|committer|submitter|person who|engineer who|"
    r"requester|themselves|yourself|the one who|whoever|who wrote)"
)
_SANCTIONED_PATH = re.compile(
    r"^\s*(?:the |our |two |a |one |\w+ )?(?:jump ?hosts?|bastions?|the vpn|zero[- ]trust|privileged access workstations?"
    r"|(?:public |external |front[- ]end )?(?:load[- ]?balancers?|lbs?|cdn|waf|api gateway|ingress))"
    r"|^[^.;]{0,25}break[- ]glass[^.;]{0,40}(?:fido|hardware key|yubikey|safe|vault|sealed)"
)
_BLOCKED_BEFORE = re.compile(
    r"\b(?:blocked|denied|prevented|prohibited|forbidden|not allowed|disallowed|disabled|locked (?:down|out))\b[^.;]{0,40}$"
)
_EMERGENCY_PATH = re.compile(r"^\s*(?:for |via |through )?(?:the |an? |our )?(?:break[- ]?glass|emergency)\b")
_NOT_EXCEPTION_BEFORE = re.compile(
    r"(?:\ball|\bevery|\beach|\bboth|\bat|\bfor the|\bthe|\bwe'?re|\bwe are|\bwe have|\bwe'?ve had|\bwe had|\bteam of|\bcompany of|"
    r"\bthere are)\s*$"
)


@dataclass
class ClauseFacts:
    clause: Clause
    negated: bool
    affirming_negation: bool
    intent: bool
    unsure: bool
    hedged: bool
    coverage_exception: str | None
    universal: bool
    evidence_named: bool
    evidence_missing: bool
    scheduled_not_done: bool
    untracked: bool
    not_a_test: bool
    bad_practice: str | None
    bad_practice_negated: bool
    policy_cue: bool
    not_applicable: bool
    explicit_not_applicable: bool
    quantities: list[Quantity] = field(default_factory=list)
    un_words: list[str] = field(default_factory=list)
    never: bool = False
    reality_after_policy: bool = False
    follows_exception: bool = False
    justified_exclusion: bool = False
    policy_statement: bool = False
    negated_for_retention: bool = False

    @property
    def substantive(self) -> bool:
        return any(
            (
                self.negated,
                self.intent,
                self.coverage_exception,
                self.evidence_named,
                self.evidence_missing,
                self.scheduled_not_done,
                self.untracked,
                self.bad_practice,
                self.quantities,
                self.affirming_negation,
                self.un_words,
            )
        )


def read_clause(
    clause: Clause, today: date, policy_before: bool, reality_after_policy: bool = False
) -> ClauseFacts:
    norm = clause.norm
    affirming = list(lx.AFFIRMING_NEGATION.finditer(norm))
    stripped = lx.AFFIRMING_NEGATION.sub(" ", norm)
    stripped = lx.UNSURE.sub(" ", lx.NEUTRAL_NEGATION.sub(" ", stripped))
    un_words = [m.group(1) for m in lx.UN_WORD.finditer(norm)]
    stripped = lx.UN_WORD.sub(" ", stripped)
    bad = lx.BAD_PRACTICE.search(norm)
    bad_negated = False
    if bad:
        # Only the negation in the bad practice's own phrase flips it ("nope, engineers merge their own" does not).
        window_start = max(0, bad.start() - 40)
        pieces = re.split(r"[,;:?]", norm[window_start : bad.start()])
        before = pieces[-1]
        if len(pieces) == 1 and window_start == 0:
            before = re.sub(r"^\s*(?:no+|nope|nah|yes|yep|yeah)\b", " ", before)
        after = norm[bad.end() : bad.end() + 30]
        flip = re.compile(
            lx.NEGATION.pattern
            + r"|\b(?:blocks?|blocked|prevents?|prevented|stops?|disallow\w*|forbid\w*|prohibit\w*)\b"
        )
        bad_negated = (
            bool(flip.search(before))
            or bool(
                re.match(
                    r"^\s*(?:\w+\s+){0,2}?(?:isn'?t|is not|aren'?t|are not|wasn'?t|was not|never)\s+"
                    r"(?:\w+ed|served|allowed|possible|enabled|open|used|happening|a thing|an option)\b",
                    after,
                )
            )
            or any(m.start() <= bad.start() < m.end() for m in affirming)
            or bool(re.match(r"^\s*\?\s*(?:no+|nope|never|not)\b", after))
            or any(
                re.search(
                    r"\b(?:blocks?|blocked|prevents?|stops?|can'?t|cannot|not allowed to)\b[^,;]{0,25}$",
                    norm[: m.start()],
                )
                for m in lx.BAD_PRACTICE.finditer(norm)
            )
        )
        # the negation that flips a bad practice is consumed by it
        stripped = (
            stripped[: max(0, bad.start() - 40)] + " " + stripped[bad.end() + (30 if bad_negated else 0) :]
        )
    intent = lx.INTENT.search(norm)
    no_plans = re.search(r"\bno (?:plans?|intention)\b", norm)
    evidence_missing = bool(
        lx.EVIDENCE_MISSING.search(lx.AFFIRMING_NEGATION.sub(" ", lx.NEUTRAL_NEGATION.sub(" ", norm)))
    )
    quantities = find_quantities(norm, today)
    negated = bool(lx.NEGATION.search(stripped))
    # "we never delete logs" keeps them forever: not a negation, but only where retention is the question.
    negated_for_retention = negated
    if any(q.kind == "forever" for q in quantities):
        kept = re.sub(r"\bnever (?:delete|expire|purge|get deleted)\w*|don'?t delete", " ", stripped)
        negated_for_retention = bool(lx.NEGATION.search(kept))
    return ClauseFacts(
        clause=clause,
        negated=negated,
        affirming_negation=bool(affirming),
        intent=bool(intent) and not no_plans,
        unsure=bool(lx.UNSURE.search(norm)),
        hedged=bool(lx.HEDGE.search(norm)),
        coverage_exception=_coverage_exception(lx.AFFIRMING_NEGATION.sub(" ", norm)),
        universal=bool(lx.UNIVERSAL.search(norm)),
        evidence_named=bool(lx.EVIDENCE_NAMED.search(norm)) and not evidence_missing,
        evidence_missing=evidence_missing,
        scheduled_not_done=bool(lx.SCHEDULED_NOT_DONE.search(norm)),
        untracked=bool(lx.UNTRACKED.search(norm)),
        not_a_test=bool(lx.NOT_A_TEST.search(norm)) and not lx.TESTED_CUE.search(norm),
        bad_practice=bad.group(0) if bad else None,
        bad_practice_negated=bad_negated,
        policy_cue=policy_before or bool(lx.POLICY_STATEMENT.search(norm)),
        not_applicable=bool(lx.NOT_APPLICABLE.search(norm)),
        explicit_not_applicable=bool(
            re.search(r"\b(not applicable|doesn'?t apply|does not apply|n/a)\b", norm)
        ),
        quantities=quantities,
        un_words=un_words,
        never=bool(re.search(r"\b(never|not yet|not once|none yet)\b", stripped)),
        reality_after_policy=reality_after_policy,
        negated_for_retention=negated_for_retention,
        justified_exclusion=bool(lx.JUSTIFIED_EXCLUSION.search(norm)),
        policy_statement=bool(lx.POLICY_STATEMENT.search(norm)),
    )


def _coverage_exception(norm: str) -> str | None:
    for match in lx.COVERAGE_EXCEPTION.finditer(norm):
        after = norm[match.end() :]
        before = norm[: match.start()]
        word = match.group(0)
        if _UNIT_AFTER.match(after):
            continue  # "a few hours", "most of the time" are durations, not exceptions
        if _SANCTIONED_PATH.match(after):
            continue  # "apart from the jump hosts", "except two break-glass accounts with keys in a safe"
        if _BLOCKED_BEFORE.search(before) and _EMERGENCY_PATH.match(after):
            continue  # "console changes are blocked except for the break-glass role": the block is the control
        if word.startswith(("other than", "except")) and _NOT_EXCEPTION_AFTER.match(after):
            continue  # "someone other than the author"
        if re.match(r"\d|two|three|four|five|six", word) and (
            _NOT_EXCEPTION_BEFORE.search(before)
            or re.search(r"\b(?:all|every|microsoft|office|windows)(?:\s+\w+){0,2}\s*$", before)
        ):
            continue  # "all 25 of us", "all Microsoft 365 users", "we're 55 people"
        if word.startswith(("most", "some", "half")) and re.search(r"\b(?:at|and a)\s*$", before):
            continue  # "at most", "a year and a half"
        if word in ("mostly", "most", "a few", "some", "some of") and lx.UNIVERSAL.search(before):
            continue  # "every risk has a decision, mostly mitigate": the exception word qualifies something else
        if re.match(r"\d|two|three|four|five|six", word) and re.search(
            r"\bonly(?:\s+(?:our|the|us|my|these|those))?\s*$", before
        ):
            continue  # "the only two vendors"
        if word in ("some", "some of") and re.match(r"^\s*(?:form|kind|sort|way)\b", after):
            continue
        return word
    return None
