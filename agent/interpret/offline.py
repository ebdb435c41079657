"""The deterministic interpreter: no model, same answer for the same words, fast enough for every turn.

Pipeline: drop sentences that try to instruct the assessor -> commands and questions back ->
clauses -> which controls each clause is about -> per-control requirement judgments (judge.py).
The scorer (agent/scoring.py), not this module, turns judgments into statuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from agent.interpret import lexicon as lx
from agent.interpret.attribution import KeywordIndex, build_index
from agent.interpret.base import InterpretRequest
from agent.interpret.commands import detect_command
from agent.interpret.judge import ClauseFacts, Verdicts, judge_clause, read_clause
from agent.interpret.quantities import compatible, find_quantities
from agent.interpret.segment import Clause, TypoCorrector, common_words, segment
from agent.kb import KnowledgeBase
from agent.kb.models import Control
from agent.state import ControlReading, Interpretation, RequirementJudgment

_CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'/-]*")
# Long narratives may settle controls nobody asked about yet; short answers stay on the question.
_NARRATIVE_WORDS = 35
_OPEN_MIN_SCORE = 1.0


class OfflineInterpreter:
    name = "offline"

    def __init__(self, today: date | Callable[[], date] | None = None):
        self._today = today
        self._cache: dict[int, tuple[KeywordIndex, TypoCorrector]] = {}

    def today(self, request: InterpretRequest) -> date:
        from_profile = getattr(request.profile, "today", None)
        if isinstance(from_profile, date):
            return from_profile
        if isinstance(from_profile, str):
            return date.fromisoformat(from_profile)
        if isinstance(self._today, date):
            return self._today
        if callable(self._today):
            return self._today()
        return date.today()

    def prepare(self, kb: KnowledgeBase) -> tuple[KeywordIndex, TypoCorrector]:
        key = id(kb)
        if key not in self._cache:
            self._cache[key] = (build_index(kb), _corrector(kb))
        return self._cache[key]

    def interpret(self, request: InterpretRequest, kb: KnowledgeBase) -> Interpretation:
        index, corrector = self.prepare(kb)
        segmented = segment(request.text, corrector)
        injected = {c.sentence for c in segmented.clauses if lx.INJECTION.search(c.norm)}
        clauses = [c for c in segmented.clauses if c.sentence not in injected]
        result = Interpretation(source="offline", injection_detected=bool(injected))

        clean = " ".join(c.norm for c in clauses).strip()
        command = detect_command(clean, kb, index, request)
        if command:
            result.command = command
            return result
        questions = [c for c in clauses if c.is_question]
        if questions and all(c.is_question for c in clauses):
            result.question_back = " ".join(c.quote for c in questions)
            return result
        # "Does the August drill count? The notes have the date" - the question describes what they did.
        statements = clauses
        if not statements:
            return result

        today = self.today(request)
        facts = _read_all(statements, today)
        asked = [cid for cid in request.asked if cid in kb.control_by_id]
        attributions = _attribute(statements, asked, request, kb, index)
        bare = _bare_reply(facts, asked, kb, index)

        readings: list[ControlReading] = []
        for control_id, orders in attributions.items():
            control = kb.control(control_id)
            reading = _read_control(control, [facts[i] for i in orders], index, bare, control_id in asked)
            if reading is not None:
                readings.append(reading)
        if questions:
            result.question_back = " ".join(c.quote for c in questions)
        result.readings = readings
        return result


def _corrector(kb: KnowledgeBase) -> TypoCorrector:
    targets: set[str] = set()
    known: set[str] = set(common_words())
    for control in kb.controls:
        for word in control.keywords:
            targets.update(re.findall(r"[a-z]+", word.lower()))
        for requirement in control.requirements:
            for word in requirement.signals:
                targets.update(re.findall(r"[a-z]+", word.lower()))
            known.update(re.findall(r"[a-z]+", requirement.text.lower()))
        for text in (
            control.title,
            control.question,
            control.follow_up,
            *control.evidence,
            *control.not_evidence,
        ):
            known.update(re.findall(r"[a-z]+", text.lower()))
    for pattern in (lx.NEGATION, lx.INTENT, lx.EVIDENCE_NAMED, lx.UNIVERSAL, lx.COVERAGE_EXCEPTION, lx.HEDGE):
        targets.update(w for w in re.findall(r"[a-z]{5,}", pattern.pattern))
    targets.update(
        "quarterly annually monthly weekly daily enforced access reviews review encrypted encryption "
        "retention retained offboarding onboarding training records tickets approval approved policy "
        "tabletop vulnerability scanning authenticated exception everything everyone except".split()
    )
    return TypoCorrector(targets, known)


def _read_all(statements: list[Clause], today: date) -> dict[int, ClauseFacts]:
    facts: dict[int, ClauseFacts] = {}
    policy_in_sentence: dict[int, bool] = {}
    policy_seen = False
    unsure_sentences = {c.sentence for c in statements if lx.UNSURE.search(c.norm)}
    for order, clause in enumerate(statements):
        before = policy_in_sentence.get(clause.sentence, False)
        reality = policy_seen and bool(lx.REALITY.match(clause.norm.lstrip(" ,")))
        fact = read_clause(clause, today, policy_before=before or policy_seen, reality_after_policy=reality)
        # "Not sure, I'd have to ask - he keeps a spreadsheet" is unsure throughout; "not certain, but we
        # never ran one" still says something.
        if clause.sentence in unsure_sentences and not clause.contrast:
            fact.unsure = True
        previous = facts.get(order - 1)
        if previous is not None and previous.clause.sentence == clause.sentence:
            fact.follows_exception = bool(previous.coverage_exception or previous.follows_exception)
        facts[order] = fact
        has_policy = bool(lx.POLICY_PRACTICE.search(clause.norm))
        policy_in_sentence[clause.sentence] = before or has_policy
        policy_seen = policy_seen or has_policy
    return facts


def _attribute(
    statements: list[Clause],
    asked: list[str],
    request: InterpretRequest,
    kb: KnowledgeBase,
    index: KeywordIndex,
) -> dict[str, list[int]]:
    """control id -> clause orders.

    A clause goes to the asked controls its keywords name (a keyword counts by how many *asked* controls
    share it); a clause naming none follows its sentence, then the sentence before, else every asked
    control. Open controls are credited only from clauses no asked control claims.
    """
    words = sum(len(c.norm.split()) for c in statements)
    allow_open = not asked or words >= _NARRATIVE_WORDS
    open_min = _OPEN_MIN_SCORE if not asked else 2 * _OPEN_MIN_SCORE
    open_ids = {cid for cid in request.open_controls if cid in kb.control_by_id} - set(asked)
    asked_set = set(asked)
    sentence_scores: dict[int, dict[str, float]] = {}
    for clause in statements:
        totals = sentence_scores.setdefault(clause.sentence, {})
        for cid, score in index.control_scores(clause.norm, asked_set).items():
            totals[cid] = totals.get(cid, 0.0) + score
    out: dict[str, list[int]] = {}
    previous: list[str] = []
    previous_sentence = -1
    for order, clause in enumerate(statements):
        asked_scores = index.control_scores(clause.norm, asked_set) if asked else {}
        for cid, extra in _signal_scores(clause.norm, asked, kb, index, skip=asked_scores).items():
            asked_scores[cid] = asked_scores.get(cid, 0.0) + extra
        best_asked = max(asked_scores.values(), default=0.0)
        open_scores = index.control_scores(clause.norm) if allow_open and best_asked == 0 else {}
        open_scores = {cid: s for cid, s in open_scores.items() if cid in open_ids}
        best_open = max(open_scores.values(), default=0.0)
        sentence = sentence_scores.get(clause.sentence) or {}
        targets: list[str]
        if best_asked > 0:
            targets = [cid for cid, s in asked_scores.items() if s >= 0.6 * best_asked]
            if clause.sentence == previous_sentence and _refers_back(clause) and set(previous) <= asked_set:
                targets = list(dict.fromkeys([*previous, *targets]))
        elif best_open >= open_min:
            targets = [cid for cid, s in open_scores.items() if s >= 0.75 * best_open]
            targets = sorted(targets, key=lambda cid: -open_scores[cid])[:3]
        elif previous and (clause.sentence == previous_sentence or _continues(clause, previous, asked)):
            targets = previous
        elif sentence:
            best = max(sentence.values())
            targets = [cid for cid, s in sentence.items() if s >= 0.6 * best]
        else:
            targets = list(asked)
        for cid in targets:
            out.setdefault(cid, []).append(order)
        if targets:
            previous, previous_sentence = targets, clause.sentence
    return out


def _refers_back(clause: Clause) -> bool:
    """'...; we test them in the failover exercise': the pronoun ties the clause to the one before."""
    return bool(re.search(r"\b(them|they|it|those|these|both)\b", clause.norm))


def _continues(clause: Clause, previous: list[str], asked: list[str]) -> bool:
    """A sentence with no keyword of its own continues the one before unless it speaks of all of them."""
    if re.search(
        r"\b(both|all of (them|these|those)|each of (them|these)|either|everything above)\b", clause.norm
    ):
        return False
    return len(asked) > 1 and set(previous) < set(asked) or not set(previous) <= set(asked)


_GENERIC_SIGNALS = frozenset(
    """all every any each both whole entire policy process review reviewed documented written record records
    report reports ticket tickets evidence export list yes enforced required always never only""".split()
)


def _signal_scores(
    norm: str, asked: list[str], kb: KnowledgeBase, index: KeywordIndex, skip: dict[str, float]
) -> dict[str, float]:
    """What separates asked controls when keywords don't: requirement signals only one of them uses,
    and a duration or cadence only one of them has a threshold for ("keeps everything for two years")."""
    if len(asked) < 2:
        return {}
    found: dict[str, set[str]] = {}
    for cid in asked:
        control = kb.control(cid)
        for words in index.signal_hits(control, norm).values():
            found.setdefault(cid, set()).update(
                w.strip() for w in words if len(w.strip()) >= 4 and w.strip() not in _GENERIC_SIGNALS
            )
    owners: dict[str, int] = {}
    for words in found.values():
        for word in words:
            owners[word] = owners.get(word, 0) + 1
    scores: dict[str, float] = {}
    if not skip:
        for cid, words in found.items():
            score = sum(0.4 for w in words if owners[w] == 1)
            if score:
                scores[cid] = score
        for cid, score in _topic_scores(norm, asked, kb).items():
            scores[cid] = scores.get(cid, 0.0) + score
    quantities = find_quantities(norm, date(2000, 1, 1))
    if quantities:
        fitting = [
            cid
            for cid in asked
            if any(
                r.threshold is not None and any(compatible(r.threshold, q) for q in quantities)
                for r in kb.control(cid).requirements
            )
        ]
        if len(fitting) == 1:
            scores[fitting[0]] = scores.get(fitting[0], 0.0) + 1.0
    return scores


_STEM = re.compile(r"(?:ing|ed|es|s|ion|ions|ly)$")


def _stems(text: str) -> set[str]:
    return {_STEM.sub("", w) for w in re.findall(r"[a-z]{5,}", text)}


def _topic_scores(norm: str, asked: list[str], kb: KnowledgeBase) -> dict[str, float]:
    """Words of a control's title that no other asked control's title uses ("tested" for the IR test)."""
    titles = {cid: _stems(kb.control(cid).title.lower()) - _TITLE_STOP for cid in asked}
    said = _stems(norm)
    scores: dict[str, float] = {}
    for cid, words in titles.items():
        others = set().union(*(w for other, w in titles.items() if other != cid))
        unique = (words - others) & said
        if unique:
            scores[cid] = 0.3 * len(unique)
    return scores


_TITLE_STOP = frozenset({"every", "within", "before", "their", "other", "after", "where", "which", "month", "system"})


def _bare_reply(
    facts: dict[int, ClauseFacts], asked: list[str], kb: KnowledgeBase, index: KeywordIndex
) -> str | None:
    """'Yep' / 'I think so' to a question affirms everything it asked (team convention 1)."""
    if not facts:
        return None
    first = facts[0].clause.norm.strip()
    starts_yes = bool(lx.AFFIRM.match(first)) or bool(
        re.match(r"^(i think so|i believe so|pretty sure)\b", first)
    )
    if not starts_yes or any(f.substantive or f.not_applicable or f.unsure for f in facts.values()):
        return None
    text = " ".join(f.clause.norm for f in facts.values())
    leftover = lx.HEDGE.sub(" ", lx.AFFIRM.sub(" ", text))
    leftover = lx.FILLER.sub(" ", leftover)
    content = [w for w in _CONTENT_WORD.findall(leftover) if len(w) > 2]
    if content:
        return None
    return (
        "hedged"
        if any(f.hedged for f in facts.values()) or re.match(r"^(i think|i believe|pretty sure)", first)
        else "affirmed"
    )


def _read_control(
    control: Control, facts: list[ClauseFacts], index: KeywordIndex, bare: str | None, was_asked: bool
) -> ControlReading | None:
    hedged = any(f.hedged for f in facts)
    if bare and was_asked:
        quote = " ".join(f.clause.quote for f in facts)
        judgments = [
            RequirementJudgment(requirement_id=r.id, verdict="met", reason=bare, quotes=[quote])
            for r in control.requirements
        ]
        return ControlReading(
            control_id=control.id, judgments=judgments, confidence=0.5 if bare == "hedged" else 0.8
        )

    na_facts = [f for f in facts if not f.unsure and _supports_not_applicable(control, f)]
    leads_with_reason = bool(na_facts) and facts[0] is na_facts[0]
    if leads_with_reason:
        # "..., so there's nothing there to put MFA on" only restates the reason.
        for fact in facts[1:]:
            same = fact.clause.sentence == na_facts[0].clause.sentence
            restates = re.match(
                r"^(so|which|only|and so|it'?s only|its only)\b", fact.clause.norm.lstrip(" ,")
            )
            if same and (restates or fact.negated or fact.not_applicable) and fact not in na_facts:
                na_facts.append(fact)
    verdicts = Verdicts()
    for order, fact in enumerate(facts):
        if fact.unsure or fact in na_facts:
            continue
        judge_clause(control, fact, index, verdicts, order)
    judgments = list(verdicts.items.values())

    if na_facts:
        hard_met = any(
            j.verdict == "met"
            and verdicts.strength[j.requirement_id] > 0
            and _is_hard(control, j.requirement_id)
            for j in judgments
        )
        if leads_with_reason and not hard_met and not any(j.verdict != "met" for j in judgments):
            reason = " ".join(f.clause.quote for f in na_facts)
                # The quote that earned it travels on an unknown judgment (unknowns never override).
            quoted = [
                RequirementJudgment(
                    requirement_id=control.requirements[0].id,
                    verdict="unknown",
                    reason="not_applicable",
                    quotes=[f.clause.quote for f in na_facts],
                )
            ]
            return ControlReading(
                control_id=control.id, judgments=quoted, not_applicable_reason=reason, confidence=0.8
            )
        # The part that cannot apply is trivially met ("no office network" for corporate isolation).
        for fact in na_facts:
            for rid in index.signal_hits(control, fact.clause.norm):
                if rid not in verdicts.items:
                    req = next(r for r in control.requirements if r.id == rid)
                    verdicts.put(req, "met", "not_applicable_part", fact.clause, 1, len(facts))
        judgments = list(verdicts.items.values())

    if not judgments:
        if was_asked and any(f.unsure for f in facts):
            unknown = [
                RequirementJudgment(
                    requirement_id=r.id,
                    verdict="unknown",
                    reason="user_unsure",
                    quotes=[f.clause.quote for f in facts if f.unsure][:1],
                )
                for r in control.requirements
            ]
            return ControlReading(control_id=control.id, judgments=unknown, user_unsure=True, confidence=0.3)
        return None
    if not was_asked and all(verdicts.strength[j.requirement_id] == 0 for j in judgments):
        return None  # a passing mention is not an answer about a control nobody asked about
    confidence = (0.5 if hedged else 0.8) * (1.0 if was_asked else 0.75)
    return ControlReading(control_id=control.id, judgments=judgments, confidence=round(confidence, 2))


_NA_STOP = frozenset(
    """the and for with any from that this are its their not never nothing nobody none without has have can
    one but all only when user says must still also does whole there what they them such some other into
    over about because which while where system company""".split()
)


def _supports_not_applicable(control: Control, fact: ClauseFacts) -> bool:
    """A clause that gives the reason the control's own not-applicable condition names."""
    if control.not_applicable_when is None:
        return fact.explicit_not_applicable
    if fact.explicit_not_applicable:
        return True
    if not (fact.negated or fact.not_applicable) or fact.intent or fact.bad_practice:
        return False
    condition = {
        w for w in re.findall(r"[a-z]{4,}", control.not_applicable_when.lower()) if w not in _NA_STOP
    }
    said = {w for w in re.findall(r"[a-z]{3,}", fact.clause.norm) if w not in _NA_STOP}
    said |= {w[:-1] for w in said if w.endswith("s")}
    overlap = condition & said
    return len(overlap) >= 2 or (fact.not_applicable and bool(overlap))


def _is_hard(control: Control, requirement_id: str) -> bool:
    return any(r.id == requirement_id and r.aspect in ("exists", "practice") for r in control.requirements)


def reading_summary(reading: ControlReading) -> dict[str, Any]:
    """Compact view used by the bench and debugging output."""
    return {
        "control_id": reading.control_id,
        "na": reading.not_applicable_reason,
        "unsure": reading.user_unsure,
        "judgments": {j.requirement_id: (j.verdict, j.reason) for j in reading.judgments},
    }
