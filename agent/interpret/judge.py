"""Judge one control's requirements from the clauses attributed to it.

A clause is first read without reference to any control (`ClauseFacts`: negated? planned only?
an exception? records named? durations?), then each fact is aimed at the requirement of the control
it concerns, using the requirement's aspect, threshold and signal words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from agent.interpret import lexicon as lx
from agent.interpret.attribution import KeywordIndex
from agent.interpret.facts import ClauseFacts
from agent.interpret.segment import Clause
from agent.interpret.targets import (
    CAPPED,
    DESCRIBES_IT,
    POINTS_BACK,
    RESTATES_LIMIT,
    SCOPED_TO_NAMES,
    done_already,
    first_of,
    gap_target,
    has_threshold,
    judge_thresholds,
    mentions,
    negative_requirement,
    of_aspect,
    specific_hit,
)
from agent.kb.models import Control, Requirement
from agent.state import RequirementJudgment, Verdict

GAP_ASPECTS = ("exists", "practice")
EXPLICIT, IMPLIED, EXCEPTION, GAP_MAKER = 1, 0, 2, 3
_RANK = {"met": 0, "unknown": 1, "partly_met": 2, "not_met": 3}
_DOCUMENTATION = re.compile(r"\b(document\w*|written|write|recorded|defined|define)\b")
_TESTING = re.compile(r"\b(test\w*|exercise\w*|tabletop|drill\w*|rehears\w*|simulat\w*)\b")
_TRACKING = re.compile(r"\b(track\w*|finding\w*|remediat\w*|follow\w*|closure|closed|fix\w*)\b")
_NOBODY = re.compile(r"\b(?:nobody|no one|noone|nothing actually|never actually|nobody has ever)\b")


@dataclass
class Verdicts:
    """The judgments one message earns for one control, in clause order."""

    items: dict[str, RequirementJudgment] = field(default_factory=dict)
    strength: dict[str, int] = field(default_factory=dict)
    clause_of: dict[str, int] = field(default_factory=dict)

    def has_explicit_met(self, before: int) -> bool:
        return any(
            j.verdict == "met" and self.strength[rid] >= EXPLICIT and self.clause_of[rid] < before
            for rid, j in self.items.items()
        )

    def put(
        self, req: Requirement, verdict: Verdict, reason: str, clause: Clause, strength: int, order: int
    ) -> None:
        """Within one clause the worse verdict wins; a later clause overrides unless it only implies."""
        current = self.items.get(req.id)
        if current is not None:
            same_clause = self.clause_of[req.id] == order
            if same_clause and _RANK[verdict] <= _RANK[current.verdict]:
                return
            if not same_clause and strength < self.strength[req.id]:
                return
            if not same_clause and strength == 0 and current.verdict != "unknown":
                return
        self.items[req.id] = RequirementJudgment(
            requirement_id=req.id, verdict=verdict, reason=reason, quotes=[clause.quote]
        )
        self.strength[req.id] = strength
        self.clause_of[req.id] = order


def judge_clause(
    control: Control, facts: ClauseFacts, index: KeywordIndex, verdicts: Verdicts, order: int
) -> None:
    clause = facts.clause
    hits = index.signal_hits(control, clause.norm)
    reqs = list(control.requirements)
    by_id = {r.id: r for r in reqs}
    hit_reqs = [by_id[rid] for rid in hits]
    affirm_reason = "hedged" if facts.hedged else "affirmed"
    # Something earlier in this message already said this control works: a negative now is an exception.
    earlier_positive = verdicts.has_explicit_met(before=order)

    def put(req: Requirement, verdict: Verdict, reason: str, strength: int = EXPLICIT) -> None:
        verdicts.put(req, verdict, reason, clause, strength, order)

    def shortfall(req: Requirement, reason: str) -> None:
        put(req, "partly_met" if req.aspect in GAP_ASPECTS else "not_met", reason)

    def coverage_shortfall() -> None:
        plain = [r for r in reqs if r.threshold is None]
        target = first_of(
            of_aspect(hit_reqs, "coverage"), of_aspect(plain, "coverage"), of_aspect(reqs, "exists"), reqs
        )
        if target is not None:
            # An exception stays stated: a later general "it's on everywhere" does not take it back.
            put(
                target,
                "partly_met" if target.aspect in GAP_ASPECTS else "not_met",
                "coverage_exception",
                EXCEPTION,
            )
        imply_exists()

    def imply_exists() -> None:
        for req in of_aspect(reqs, "exists")[:1] or of_aspect(reqs, "practice")[:1]:
            put(req, "met", "implied", IMPLIED)

    if facts.justified_exclusion:
        return
    if (
        facts.negated
        and has_threshold(control)
        and (RESTATES_LIMIT.search(clause.norm) or CAPPED.search(clause.norm))
    ):
        # "Nothing is kept beyond that", "never changed the defaults": the window already stated stands.
        if not facts.quantities:
            return
        facts = replace(
            facts, negated=False, never=False, negated_for_retention=False, evidence_missing=False
        )
    if any(r.threshold is not None and r.threshold.kind == "min_retention" for r in control.requirements):
        facts = replace(facts, negated=facts.negated_for_retention)
    if clause.is_question:
        # A question back describes, it does not claim: only its dates and cadences count.
        judge_thresholds(reqs, hit_reqs, facts, put, shortfall, negated=False)
        return

    if (
        lx.NO_REAL_PROCESS.search(clause.norm)
        and not facts.negated
        and (earlier_positive or facts.follows_exception)
        and POINTS_BACK.search(clause.norm)
    ):
        coverage_shortfall()  # "Okta same day; those two get cleaned up whenever somebody remembers"
        return

    # Things that make the whole control a gap, whatever else the clause says.
    gap_reason = None
    target: Requirement | None = None
    if facts.intent and not done_already(facts):
        gap_reason, target = "intent_only", gap_target(reqs, hit_reqs, prefer="exists")
    elif facts.scheduled_not_done:
        gap_reason, target = "scheduled_not_done", gap_target(reqs, hit_reqs, prefer="practice")
    elif facts.untracked and mentions(control, _TRACKING, gap_only=True):
        gap_reason, target = "untracked", gap_target(reqs, hit_reqs, prefer="practice", pattern=_TRACKING)
    elif facts.not_a_test and mentions(control, _TESTING, gap_only=True):
        gap_reason, target = "not_a_test", gap_target(reqs, hit_reqs, prefer="exists", pattern=_TESTING)
    elif lx.NO_REAL_PROCESS.search(clause.norm) and not facts.negated:
        gap_reason, target = "negated", gap_target(reqs, hit_reqs, prefer="exists")
    elif (
        lx.CLAIM_DENIED.search(clause.norm)
        or facts.reality_after_policy
        and (facts.negated or facts.bad_practice)
    ):
        gap_reason, target = "policy_contradicted", gap_target(reqs, hit_reqs, prefer="practice")
    elif facts.bad_practice and not facts.bad_practice_negated:
        bad_hits = index.signal_hits(control, facts.bad_practice)
        prohibited = any(by_id[rid].aspect in GAP_ASPECTS for rid in bad_hits)
        # "a third of repos push straight to main" is an exception; "I push to main, mostly" is the norm.
        majority = bool(re.match(r"most|majority|almost|nearly", facts.coverage_exception or ""))
        if (facts.coverage_exception and not prohibited and not majority) or (
            earlier_positive and not facts.policy_cue and not majority
        ):
            coverage_shortfall()
            return
        reason = "policy_contradicted" if facts.policy_cue else "bad_practice"
        gap_reason, target = reason, gap_target(reqs, hit_reqs, prefer="practice")
    elif facts.negated and facts.policy_cue and clause.contrast and not facts.coverage_exception:
        gap_reason, target = "policy_contradicted", gap_target(reqs, hit_reqs, prefer="practice")
    elif (
        facts.negated
        and clause.contrast
        and _NOBODY.search(clause.norm)
        and not facts.coverage_exception
        and not facts.evidence_missing
    ):
        # "There's a hotfix procedure, but nobody writes hotfixes up": nobody does it, so it is not practised.
        gap_reason, target = "policy_contradicted", gap_target(reqs, hit_reqs, prefer="practice")
    if gap_reason:
        if target is not None:
            put(target, "not_met", gap_reason, GAP_MAKER)
        return

    if facts.bad_practice and facts.bad_practice_negated:
        for req in (
            [r for r in hit_reqs if r.aspect in GAP_ASPECTS] or of_aspect(reqs, "practice") or reqs[:1]
        ):
            put(req, "met", "affirmed")

    for word in facts.un_words:
        stem_hits = index.signal_hits(control, word)
        for rid in stem_hits:
            shortfall(by_id[rid], "negated")
            hits.pop(rid, None)
        hit_reqs = [by_id[rid] for rid in hits]

    if facts.coverage_exception:
        coverage_shortfall()

    threshold_handled = judge_thresholds(reqs, hit_reqs, facts, put, shortfall, negated=facts.negated)
    if threshold_handled:
        imply_exists()

    if facts.evidence_missing:
        documentation = [r for r in reqs if r.aspect in GAP_ASPECTS and _DOCUMENTATION.search(r.text.lower())]
        evidence_hit = of_aspect(hit_reqs, "evidence")
        hard_hit = [r for r in hit_reqs if r.aspect in GAP_ASPECTS]
        evidence = evidence_hit or of_aspect(reqs, "evidence") or [r for r in reqs if r.must_confirm]
        soft_hit = [r for r in hit_reqs if r.aspect in ("coverage", "cadence")]
        if documentation and (set(hits) & {r.id for r in documentation} or not evidence):
            put(documentation[0], "not_met", "negated", GAP_MAKER if facts.never else EXPLICIT)
        elif not evidence_hit and hard_hit and not earlier_positive:
            put(hard_hit[0], "not_met", "negated", GAP_MAKER if facts.never else EXPLICIT)
        elif not evidence_hit and soft_hit:
            shortfall(soft_hit[0], "negated")
        elif evidence:
            shortfall(evidence[0], "evidence_missing")
        return

    if (
        facts.negated
        and not facts.never
        and DESCRIBES_IT.match(clause.norm)
        and any(j.verdict == "met" for j in verdicts.items.values())
    ):
        # "There's a list. It isn't tiered": a missing quality of a thing just said to exist falls short.
        soft = [r for r in hit_reqs if r.aspect not in GAP_ASPECTS]
        for req in soft:
            shortfall(req, "negated")
        if not soft:
            coverage_shortfall()
        return

    if facts.negated and not facts.coverage_exception:
        if threshold_handled and not [r for r in hit_reqs if r.id not in threshold_handled]:
            return
        inverted = [r for r in hit_reqs if negative_requirement(r, clause.norm)]
        for req in inverted:
            put(req, "met", affirm_reason)
        hit_reqs = [r for r in hit_reqs if r not in inverted and r.id not in threshold_handled]
        if inverted and not hit_reqs:
            imply_exists()
            return
        soft = [r for r in hit_reqs if r.aspect not in GAP_ASPECTS]
        hard = [r for r in hit_reqs if r.aspect in GAP_ASPECTS]
        names_subject = not re.match(
            r"^\s*(?:but |and |so |though |yet )?(?:we|we'?ve|we'?re|i|i'?ve|it|it'?s|they|that|this|there|nobody|no one|"
            r"none|nothing|never|not|no)\b",
            clause.norm,
        )
        continues_exception = (
            facts.follows_exception
            or names_subject
            or bool(earlier_positive and SCOPED_TO_NAMES.search(clause.norm))
            or bool(
                re.search(
                    r"\b(there|for (them|those|these)|on (them|those|these)|those ones|to (them|those))\b",
                    clause.norm,
                )
            )
        )
        universal_no = (
            bool(re.search(r"\b(?:nobody|no one|noone)\b", clause.norm)) and not facts.follows_exception
        )
        prohibitions = [r for r in hard if re.match(r"^(?:no|nobody|nothing|none|never)\b", r.text.lower())]
        if prohibitions:
            put(
                prohibitions[0], "not_met", "negated"
            )  # "No one merges without review": any exception breaks it
        elif universal_no and hard:
            put(
                hard[0], "not_met", "negated"
            )  # "..., nobody approves them afterwards": nobody does it at all
        elif (earlier_positive or facts.follows_exception) and (not facts.never or continues_exception):
            coverage_shortfall()
        elif soft and not hard and not (facts.never and all(r.aspect == "cadence" for r in soft)):
            for req in soft:
                shortfall(req, "negated")
        else:
            for req in hard[:1] or of_aspect(reqs, "exists")[:1] or of_aspect(reqs, "practice")[:1]:
                # "We've never written one down" is final: a later aside in the same answer doesn't undo it.
                put(req, "not_met", "negated", GAP_MAKER if facts.never else EXPLICIT)
        return

    if facts.coverage_exception:
        return
    if (
        clause.contrast
        and earlier_positive
        and re.search(r"\b(?:still|keeps?|kept|retains?|retained|remains?|stays?|persists?)\b", clause.norm)
    ):
        coverage_shortfall()  # "we delete it in 30 days, but backups keep it for a year"
        return

    if lx.RELIES_ON_OTHERS.search(clause.norm):
        return  # "customers would tell us if it broke" describes no check of one's own
    # A positive statement: what it names is met, and the control exists. What a policy says is only
    # a claim about paper, so it never outweighs what the same answer says is practised.
    claim = IMPLIED if facts.policy_statement else EXPLICIT
    for req in hit_reqs:
        if req.threshold is not None or req.id in threshold_handled:
            continue
        if req.aspect == "coverage" and not specific_hit(hits[req.id]):
            put(req, "met", affirm_reason, IMPLIED)
            continue
        if req.aspect == "evidence" and not facts.evidence_named:
            continue  # naming the activity is not naming its records
        put(req, "met", affirm_reason, claim)
    if facts.evidence_named:
        for req in of_aspect(hit_reqs, "evidence") or of_aspect(reqs, "evidence")[:1]:
            put(req, "met", "evidence_named", claim)
    if facts.universal:
        plain = [r for r in reqs if r.threshold is None]
        for req in (
            of_aspect([r for r in hit_reqs if r.threshold is None], "coverage")
            or of_aspect(plain, "coverage")[:1]
        ):
            put(req, "met", affirm_reason, IMPLIED)
    imply_exists()
