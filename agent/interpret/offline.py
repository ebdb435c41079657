"""The deterministic interpreter: no model, same answer for the same words, fast enough for every turn.

Pipeline: drop sentences that try to instruct the assessor -> commands and questions back ->
clauses -> which controls each clause is about -> per-control requirement judgments (judge.py).
The scorer (agent/scoring.py), not this module, turns judgments into statuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from agent.interpret import lexicon as lx
from agent.interpret.attribution import KeywordIndex, build_index
from agent.interpret.base import InterpretRequest
from agent.interpret.commands import detect_command
from agent.interpret.facts import ClauseFacts, read_clause
from agent.interpret.judge import Verdicts, judge_clause
from agent.interpret.not_applicable import absorb_restatements, supports_not_applicable
from agent.interpret.routing import attribute_clauses
from agent.interpret.segment import Clause, TypoCorrector, common_words, segment
from agent.kb import KnowledgeBase
from agent.kb.models import Control
from agent.state import ControlReading, Interpretation, RequirementJudgment

# "SYSTEM: ..." / "Assistant: ..." inside an answer is someone addressing the model, not the assessor.
_ROLE_PREFIX = re.compile(
    r"(?:^|\s)(?:SYSTEM|System|ASSISTANT|Assistant|DEVELOPER|Developer|ADMIN)\s*:|^\s*system\s*:"
)
_CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'/-]*")
# Long narratives may settle controls nobody asked about yet; short answers stay on the question.


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

    def _only_what_was_open(
        self, reading: ControlReading, request: InterpretRequest, kb: KnowledgeBase
    ) -> ControlReading:
        """A "yes" to a follow-up affirms what the follow-up asked: the requirements still open, not
        the exception or shortfall an earlier answer already stated."""
        known: set[str] = set()
        for earlier in request.previous_answers.get(reading.control_id, []):
            again = InterpretRequest(
                text=earlier, asked=[reading.control_id], open_controls=[], profile=request.profile
            )
            for previous in self.interpret(again, kb).readings:
                if previous.control_id == reading.control_id and previous.user_unsure is False:
                    known |= {j.requirement_id for j in previous.judgments if j.verdict != "unknown"}
        kept = [j for j in reading.judgments if j.requirement_id not in known]
        return reading.model_copy(update={"judgments": kept})

    def interpret(self, request: InterpretRequest, kb: KnowledgeBase) -> Interpretation:
        index, corrector = self.prepare(kb)
        segmented = segment(request.text, corrector)
        injected = {
            index_
            for index_, (start, end) in enumerate(segmented.sentences)
            if lx.INJECTION.search(request.text[start:end].lower())
            or _ROLE_PREFIX.search(request.text[start:end])
        }
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
        attributions = attribute_clauses(statements, asked, request, kb, index)
        bare = _bare_reply(facts, asked, kb, index)

        readings: list[ControlReading] = []
        for control_id, orders in attributions.items():
            control = kb.control(control_id)
            reading = _read_control(
                control,
                [facts[i] for i in orders],
                index,
                bare,
                control_id in asked,
                no_exceptions=request.attempt > 0 and _bare_no(facts),
            )
            if reading is not None and bare and request.attempt > 0:
                reading = self._only_what_was_open(reading, request, kb)
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
        [
            "quarterly",
            "annually",
            "monthly",
            "weekly",
            "daily",
            "enforced",
            "access",
            "reviews",
            "review",
            "encrypted",
            "encryption",
            "retention",
            "retained",
            "offboarding",
            "onboarding",
            "training",
            "records",
            "tickets",
            "approval",
            "approved",
            "policy",
            "tabletop",
            "vulnerability",
            "scanning",
            "authenticated",
            "exception",
            "everything",
            "everyone",
            "except",
        ]
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
        if unsure_sentences and lx.DELEGATED.search(clause.norm) and not clause.contrast:
            fact.unsure = True  # "it's the MSP's department, couldn't tell you more" is not knowing
        if clause.guess:
            # "No clue. I think they have something?" - a guess after "I don't know" is still not knowing.
            fact.hedged = True
            fact.unsure = fact.unsure or bool(unsure_sentences)
        previous = facts.get(order - 1)
        if previous is not None and previous.clause.sentence == clause.sentence:
            fact.follows_exception = bool(previous.coverage_exception or previous.follows_exception)
        facts[order] = fact
        has_policy = bool(lx.POLICY_STATEMENT.search(clause.norm))
        policy_in_sentence[clause.sentence] = before or has_policy
        policy_seen = policy_seen or has_policy
    return facts


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
    control: Control,
    facts: list[ClauseFacts],
    index: KeywordIndex,
    bare: str | None,
    was_asked: bool,
    no_exceptions: bool = False,
) -> ControlReading | None:
    hedged = any(f.hedged for f in facts)
    if no_exceptions and was_asked and _asks_for_exceptions(control):
        # "Is there any way into production that skips MFA?" - "No." means there are no exceptions.
        quote = " ".join(f.clause.quote for f in facts)
        judgments = [
            RequirementJudgment(requirement_id=r.id, verdict="met", reason="no_exceptions", quotes=[quote])
            for r in control.requirements
            if r.aspect == "coverage" and r.threshold is None
        ]
        return ControlReading(control_id=control.id, judgments=judgments, confidence=0.7)
    if bare and was_asked:
        quote = " ".join(f.clause.quote for f in facts)
        judgments = [
            RequirementJudgment(requirement_id=r.id, verdict="met", reason=bare, quotes=[quote])
            for r in control.requirements
        ]
        return ControlReading(
            control_id=control.id, judgments=judgments, confidence=0.5 if bare == "hedged" else 0.8
        )

    if any(lx.TESTED_CUE.search(f.clause.norm) for f in facts):
        for fact in facts:
            fact.not_a_test = False  # a tabletop named anywhere in the answer: "reviewed" is about the plan
    na_facts = [f for f in facts if not f.unsure and supports_not_applicable(control, f)]
    leads_with_reason = bool(na_facts) and facts[0] is na_facts[0]
    if na_facts:
        absorb_restatements(facts, na_facts, leads_with_reason)
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
    if not was_asked and not _speaks_to_the_core(control, judgments, verdicts):
        return None  # a passing mention ("Microsoft 365 for email") is not an answer about the control
    confidence = (0.5 if hedged else 0.8) * (1.0 if was_asked else 0.75)
    return ControlReading(control_id=control.id, judgments=judgments, confidence=round(confidence, 2))


_EXCEPTION_QUESTION = re.compile(
    r"\b(?:any|anything|anyone|anybody|anywhere)\b[^?]*\b(?:not|without|no|missing|except|bypass\w*|skips?|outside|"
    r"left out|lacks?)\b[^?]*\?"
)


def _asks_for_exceptions(control: Control) -> bool:
    return bool(_EXCEPTION_QUESTION.search(control.follow_up.lower()))


def _bare_no(facts: dict[int, ClauseFacts]) -> bool:
    """A follow-up answered with nothing but "no" / "none" / "nope, nothing"."""
    text = " ".join(f.clause.norm for f in facts.values()).strip(" .!")
    return bool(
        re.fullmatch(
            r"(?:no+|nope|nah|none|nothing|not that i know of|no,? none|no,? nothing|nope,? none)", text
        )
    )


def _speaks_to_the_core(control: Control, judgments: list[RequirementJudgment], verdicts: Verdicts) -> bool:
    """Credit a control nobody asked about only for what it is: its existence, practice or window."""
    by_id = {r.id: r for r in control.requirements}
    for judgment in judgments:
        requirement = by_id[judgment.requirement_id]
        explicit = verdicts.strength[judgment.requirement_id] >= 1
        if explicit and (requirement.aspect in ("exists", "practice") or requirement.threshold is not None):
            return True
    return False


def _is_hard(control: Control, requirement_id: str) -> bool:
    return any(r.id == requirement_id and r.aspect in ("exists", "practice") for r in control.requirements)
