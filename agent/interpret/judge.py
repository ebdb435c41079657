"""Judge one control's requirements from the clauses attributed to it.

A clause is first read without reference to any control (`ClauseFacts`: negated? planned only?
an exception? records named? durations?), then each fact is aimed at the requirement of the control
it concerns, using the requirement's aspect, threshold and signal words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from agent.interpret import lexicon as lx
from agent.interpret.attribution import KeywordIndex
from agent.interpret.quantities import Quantity, find_quantities, satisfies
from agent.interpret.segment import Clause
from agent.kb.models import Control, Requirement
from agent.state import RequirementJudgment, Verdict

GAP_ASPECTS = ("exists", "practice")
EXPLICIT, IMPLIED, GAP_MAKER = 1, 0, 2
_RANK = {"met": 0, "unknown": 1, "partly_met": 2, "not_met": 3}
_DOCUMENTATION = re.compile(r"\b(document\w*|written|write|recorded|defined|define)\b")
_TESTING = re.compile(r"\b(test\w*|exercise\w*|tabletop|drill\w*|rehears\w*|simulat\w*)\b")
_TRACKING = re.compile(r"\b(track\w*|finding\w*|remediat\w*|follow\w*|closure|closed|fix\w*)\b")
_UNIT_AFTER = re.compile(
    r"^\s*(?:of )?(?:the )?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|quarters?|times?|"
    r"more|less|cases?|degree|extent|point)\b"
)
_NOT_EXCEPTION_AFTER = re.compile(
    r"^\s*(?:the |its |their |his |her )?(?:author|authors|committer|submitter|person who|engineer who|"
    r"requester|themselves|yourself|the one who|whoever|who wrote)"
)
_SANCTIONED_PATH = re.compile(
    r"^\s*(?:the |our |two |a |one |\w+ )?(?:jump ?hosts?|bastions?|the vpn|zero[- ]trust|privileged access workstations?)"
    r"|^[^.;]{0,25}break[- ]glass[^.;]{0,40}(?:fido|hardware key|yubikey|safe|vault|sealed)"
)
_NOT_EXCEPTION_BEFORE = re.compile(r"(?:\ball|\bevery|\beach|\bboth|\bat|\bfor the|\bthe)\s*$")


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
    evidence_missing = bool(lx.EVIDENCE_MISSING.search(lx.NEUTRAL_NEGATION.sub(" ", norm)))
    quantities = find_quantities(norm, today)
    if any(q.kind == "forever" for q in quantities):
        stripped = re.sub(r"\bnever (?:delete|expire|purge|get deleted)\w*|don'?t delete", " ", stripped)
    negated = bool(lx.NEGATION.search(stripped))
    return ClauseFacts(
        clause=clause,
        negated=negated,
        affirming_negation=bool(affirming),
        intent=bool(intent) and not no_plans,
        unsure=bool(lx.UNSURE.search(norm)),
        hedged=bool(lx.HEDGE.search(norm)),
        coverage_exception=_coverage_exception(norm),
        universal=bool(lx.UNIVERSAL.search(norm)),
        evidence_named=bool(lx.EVIDENCE_NAMED.search(norm)) and not evidence_missing,
        evidence_missing=evidence_missing,
        scheduled_not_done=bool(lx.SCHEDULED_NOT_DONE.search(norm)),
        untracked=bool(lx.UNTRACKED.search(norm)),
        not_a_test=bool(lx.NOT_A_TEST.search(norm)) and not lx.TESTED_CUE.search(norm),
        bad_practice=bad.group(0) if bad else None,
        bad_practice_negated=bad_negated,
        policy_cue=policy_before or bool(lx.POLICY_PRACTICE.search(norm)),
        not_applicable=bool(lx.NOT_APPLICABLE.search(norm)),
        explicit_not_applicable=bool(
            re.search(r"\b(not applicable|doesn'?t apply|does not apply|n/a)\b", norm)
        ),
        quantities=quantities,
        un_words=un_words,
        never=bool(re.search(r"\b(never|not yet|not once|none yet)\b", stripped)),
        reality_after_policy=reality_after_policy,
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
        if word.startswith(("other than", "except")) and _NOT_EXCEPTION_AFTER.match(after):
            continue  # "someone other than the author"
        if re.match(r"\d|two|three|four|five|six", word) and _NOT_EXCEPTION_BEFORE.search(before):
            continue  # "all 25 of us"
        if word.startswith(("most", "some", "half")) and re.search(r"\b(?:at|and a)\s*$", before):
            continue  # "at most", "a year and a half"
        if word in ("mostly", "most", "a few", "some", "some of") and lx.UNIVERSAL.search(before):
            continue  # "every risk has a decision, mostly mitigate": the exception word qualifies something else
        if re.match(r"\d|two|three|four|five|six", word) and re.search(r"\bonly\s*$", before):
            continue  # "the only two vendors"
        if word in ("some", "some of") and re.match(r"^\s*(?:form|kind|sort|way)\b", after):
            continue
        return word
    return None


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
        target = _first(
            _aspect(hit_reqs, "coverage"), _aspect(plain, "coverage"), _aspect(reqs, "exists"), reqs
        )
        if target is not None:
            shortfall(target, "coverage_exception")
        imply_exists()

    def imply_exists() -> None:
        for req in _aspect(reqs, "exists")[:1] or _aspect(reqs, "practice")[:1]:
            put(req, "met", "implied", IMPLIED)

    if facts.justified_exclusion:
        return
    if clause.is_question:
        # A question back describes, it does not claim: only its dates and cadences count.
        _judge_thresholds(reqs, hit_reqs, facts, put, shortfall, negated=False)
        return

    # Things that make the whole control a gap, whatever else the clause says.
    gap_reason = None
    target: Requirement | None = None
    if facts.intent and not _done_already(facts):
        gap_reason, target = "intent_only", _gap_target(reqs, hit_reqs, prefer="exists")
    elif facts.scheduled_not_done:
        gap_reason, target = "scheduled_not_done", _gap_target(reqs, hit_reqs, prefer="practice")
    elif facts.untracked and _mentions(control, _TRACKING):
        gap_reason, target = "untracked", _gap_target(reqs, hit_reqs, prefer="practice", pattern=_TRACKING)
    elif facts.not_a_test and _mentions(control, _TESTING, gap_only=True):
        gap_reason, target = "not_a_test", _gap_target(reqs, hit_reqs, prefer="exists", pattern=_TESTING)
    elif facts.reality_after_policy and (facts.negated or facts.bad_practice):
        gap_reason, target = "policy_contradicted", _gap_target(reqs, hit_reqs, prefer="practice")
    elif facts.bad_practice and not facts.bad_practice_negated:
        bad_hits = index.signal_hits(control, facts.bad_practice)
        prohibited = any(by_id[rid].aspect in GAP_ASPECTS for rid in bad_hits)
        if (facts.coverage_exception and not prohibited) or (earlier_positive and not facts.policy_cue):
            coverage_shortfall()
            return
        reason = "policy_contradicted" if facts.policy_cue else "bad_practice"
        gap_reason, target = reason, _gap_target(reqs, hit_reqs, prefer="practice")
    elif facts.negated and facts.policy_cue and clause.contrast and not facts.coverage_exception:
        gap_reason, target = "policy_contradicted", _gap_target(reqs, hit_reqs, prefer="practice")
    if gap_reason:
        if target is not None:
            put(target, "not_met", gap_reason, GAP_MAKER)
        return

    if facts.bad_practice and facts.bad_practice_negated:
        for req in [r for r in hit_reqs if r.aspect in GAP_ASPECTS] or _aspect(reqs, "practice") or reqs[:1]:
            put(req, "met", "affirmed")

    for word in facts.un_words:
        stem_hits = index.signal_hits(control, word)
        for rid in stem_hits:
            shortfall(by_id[rid], "negated")
            hits.pop(rid, None)
        hit_reqs = [by_id[rid] for rid in hits]

    if facts.coverage_exception:
        coverage_shortfall()

    threshold_handled = _judge_thresholds(reqs, hit_reqs, facts, put, shortfall, negated=facts.negated)
    if threshold_handled:
        imply_exists()

    if facts.evidence_missing:
        documentation = [r for r in reqs if r.aspect in GAP_ASPECTS and _DOCUMENTATION.search(r.text.lower())]
        evidence_hit = _aspect(hit_reqs, "evidence")
        hard_hit = [r for r in hit_reqs if r.aspect in GAP_ASPECTS]
        evidence = evidence_hit or _aspect(reqs, "evidence") or [r for r in reqs if r.must_confirm]
        soft_hit = [r for r in hit_reqs if r.aspect in ("coverage", "cadence")]
        if documentation and (set(hits) & {r.id for r in documentation} or not evidence):
            put(documentation[0], "not_met", "negated")
        elif not evidence_hit and hard_hit and not earlier_positive:
            put(hard_hit[0], "not_met", "negated")
        elif not evidence_hit and soft_hit:
            shortfall(soft_hit[0], "negated")
        elif evidence:
            shortfall(evidence[0], "evidence_missing")
        return

    if facts.negated and not facts.coverage_exception:
        if threshold_handled and not [r for r in hit_reqs if r.id not in threshold_handled]:
            return
        inverted = [r for r in hit_reqs if _negative_requirement(r, clause.norm)]
        for req in inverted:
            put(req, "met", affirm_reason)
        hit_reqs = [r for r in hit_reqs if r not in inverted and r.id not in threshold_handled]
        if inverted and not hit_reqs:
            imply_exists()
            return
        soft = [r for r in hit_reqs if r.aspect not in GAP_ASPECTS]
        hard = [r for r in hit_reqs if r.aspect in GAP_ASPECTS]
        continues_exception = facts.follows_exception or bool(
            re.search(
                r"\b(there|for (them|those|these)|on (them|those|these)|those ones|to (them|those))\b",
                clause.norm,
            )
        )
        if (earlier_positive or facts.follows_exception) and (not facts.never or continues_exception):
            coverage_shortfall()
        elif soft and not hard and not (facts.never and all(r.aspect == "cadence" for r in soft)):
            for req in soft:
                shortfall(req, "negated")
        else:
            for req in hard[:1] or _aspect(reqs, "exists")[:1] or _aspect(reqs, "practice")[:1]:
                put(req, "not_met", "negated")
        return

    if facts.coverage_exception:
        return

    # A positive statement: what it names is met, and the control exists. What a policy says is only
    # a claim about paper, so it never outweighs what the same answer says is practised.
    claim = IMPLIED if facts.policy_statement else EXPLICIT
    for req in hit_reqs:
        if req.threshold is not None or req.id in threshold_handled:
            continue
        if req.aspect == "coverage" and not _specific_hit(hits[req.id]):
            put(req, "met", affirm_reason, IMPLIED)
            continue
        if req.aspect == "evidence" and not facts.evidence_named:
            continue  # naming the activity is not naming its records
        put(req, "met", affirm_reason, claim)
    if facts.evidence_named:
        for req in _aspect(hit_reqs, "evidence") or _aspect(reqs, "evidence")[:1]:
            put(req, "met", "evidence_named", claim)
    if facts.universal:
        plain = [r for r in reqs if r.threshold is None]
        for req in (
            _aspect([r for r in hit_reqs if r.threshold is None], "coverage")
            or _aspect(plain, "coverage")[:1]
        ):
            put(req, "met", affirm_reason, IMPLIED)
    imply_exists()


def _judge_thresholds(
    reqs: list[Requirement],
    hit_reqs: list[Requirement],
    facts: ClauseFacts,
    put: Callable[[Requirement, Verdict, str], None],
    shortfall: Callable[[Requirement, str], None],
    negated: bool,
) -> set[str]:
    handled: set[str] = set()
    for req in _threshold_reqs(reqs, hit_reqs, facts.quantities):
        result = satisfies(req.threshold, facts.quantities)  # type: ignore[arg-type]
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


def _specific_hit(words: list[str]) -> bool:
    return any(w.strip() not in _GENERIC_COVERAGE for w in words)


_STOP = frozenset(
    {
        "the",
        "and",
        "for",
        "with",
        "any",
        "from",
        "that",
        "this",
        "are",
        "its",
        "their",
        "not",
        "never",
        "nothing",
        "nobody",
        "none",
        "without",
        "has",
        "have",
        "can",
        "one",
        "but",
        "all",
    }
)


def _negative_requirement(req: Requirement, norm: str) -> bool:
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
            req_words.update(t for t in tokens[max(0, i - 5) : i + 7] if len(t) >= 3 and t not in _STOP)
    for match in re.finditer(
        r"\b(no|not|never|nothing|nobody|none|without|can'?t|cannot|isn'?t|aren'?t|doesn'?t|don'?t)\b", norm
    ):
        window = re.findall(r"[a-z0-9]{3,}", norm[max(0, match.start() - 40) : match.end() + 40])
        overlap = {w for w in window if w not in _STOP} & req_words
        if len(overlap) >= 2 or (overlap and any(len(w) >= 5 for w in overlap)):
            return True
    return False


def _done_already(facts: ClauseFacts) -> bool:
    """'We did one in March and will do the next in June' is done, not merely planned."""
    return any(q.kind == "age" for q in facts.quantities) and bool(
        re.search(r"\b(did|ran|held|completed|finished|done)\b", facts.clause.norm)
    )


def _aspect(reqs: list[Requirement], aspect: str) -> list[Requirement]:
    return [r for r in reqs if r.aspect == aspect]


def _first(*groups: list[Requirement]) -> Requirement | None:
    for group in groups:
        if group:
            return group[0]
    return None


def _gap_target(
    reqs: list[Requirement], hit_reqs: list[Requirement], prefer: str, pattern: re.Pattern[str] | None = None
) -> Requirement | None:
    other = "exists" if prefer == "practice" else "practice"
    if pattern is not None:
        themed = [r for r in reqs if r.aspect in GAP_ASPECTS and pattern.search(r.text.lower())]
        if themed:
            return themed[0]
    return _first(
        _aspect(hit_reqs, prefer), _aspect(reqs, prefer), _aspect(hit_reqs, other), _aspect(reqs, other)
    )


def _mentions(control: Control, pattern: re.Pattern[str], gap_only: bool = False) -> bool:
    texts = [
        r.text + " " + " ".join(r.signals)
        for r in control.requirements
        if not gap_only or r.aspect in GAP_ASPECTS
    ]
    return bool(pattern.search(" ".join(texts).lower() + " " + control.title.lower()))


def _threshold_reqs(
    reqs: list[Requirement], hit_reqs: list[Requirement], quantities: list[Quantity]
) -> list[Requirement]:
    if not quantities:
        return []
    with_threshold = [r for r in reqs if r.threshold is not None]
    hit = [r for r in with_threshold if r in hit_reqs]
    return hit or with_threshold
