"""Which controls each clause of an answer is about.

Keywords decide first (a keyword counts by how many *asked* controls share it); requirement signals,
title words and a fitting duration break ties; a clause naming nothing follows its sentence, then its
line, else goes to every asked control. Open controls are credited only from clauses that name them.
"""

from __future__ import annotations

import re
from datetime import date

from agent.interpret import lexicon as lx
from agent.interpret.attribution import KeywordIndex
from agent.interpret.base import InterpretRequest
from agent.interpret.quantities import compatible, find_quantities
from agent.interpret.segment import Clause
from agent.kb import KnowledgeBase

# Long narratives may settle controls nobody asked about yet; short answers stay on the question.
_NARRATIVE_WORDS = 35
_OPEN_MIN_SCORE = 1.0


def attribute_clauses(
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
    line_scores: dict[int, dict[str, float]] = {}
    for clause in statements:
        for cid, score in index.control_scores(clause.norm, asked_set).items():
            for table, key in ((sentence_scores, clause.sentence), (line_scores, clause.line)):
                totals = table.setdefault(key, {})
                totals[cid] = totals.get(cid, 0.0) + score
    policy_sentence: dict[int, bool] = {}
    for clause in statements:
        if lx.POLICY_STATEMENT.search(clause.norm):
            policy_sentence[clause.sentence] = True
    lines = [line for line in request.text.strip().split("\n") if line.strip()]
    ordered_lines = len(asked) > 1 and len(lines) == len(asked)
    out: dict[str, list[int]] = {}
    previous: list[str] = []
    previous_sentence = previous_line = -1
    for order, clause in enumerate(statements):
        keyword_scores = index.control_scores(clause.norm, asked_set) if asked else {}
        asked_scores = dict(keyword_scores)
        for cid, extra in _signal_scores(clause.norm, asked, kb, index, skip=keyword_scores).items():
            asked_scores[cid] = asked_scores.get(cid, 0.0) + extra
        for cid, extra in _feature_scores(clause.norm, request.text.lower(), asked, kb).items():
            asked_scores[cid] = asked_scores.get(cid, 0.0) + extra
        if ordered_lines and clause.line < len(asked) and not _speaks_of_all(clause):
            # One line per part of the question, in the order asked: position breaks ties.
            in_order = asked[clause.line]
            asked_scores[in_order] = asked_scores.get(in_order, 0.0) + 0.75
        best_asked = max(asked_scores.values(), default=0.0)
        open_scores = index.control_scores(clause.norm) if allow_open and best_asked == 0 else {}
        open_scores = {cid: s for cid, s in open_scores.items() if cid in open_ids}
        best_open = max(open_scores.values(), default=0.0)
        same_sentence = clause.sentence == previous_sentence and bool(previous)
        targets: list[str]
        if clause.contrast and same_sentence and _EXCEPTING.match(clause.norm):
            # "..., except that the office range is allow-listed on the bastion" qualifies what came before.
            targets = list(previous)
        elif clause.contrast and same_sentence and set(previous) <= asked_set:
            # "but the Grafana admin logins ..." may single out some of them; "but we never tested it" may
            # move on to the other control asked about.
            own = _top(asked_scores)
            # "The policy says X but people do Y" contradicts the same control(s) the policy was about.
            contradicts = policy_sentence.get(clause.sentence, False)
            carried = [
                cid
                for cid in previous
                if not own
                or contradicts
                or cid in own
                or _names_a_core_requirement(clause.norm, cid, kb, index)
            ]
            targets = list(dict.fromkeys([*carried, *own]))
        elif best_asked > 0 and _speaks_of_all(clause):
            targets = list(asked)  # "no MFA anywhere yet", "yes to both"
        elif best_asked > 0:
            targets = _top(asked_scores)
            if same_sentence and _refers_back(clause) and set(previous) <= asked_set:
                targets = list(dict.fromkeys([*previous, *targets]))
        elif (
            not asked
            and best_open < open_min
            and (fitting := _threshold_fit(clause.norm, open_ids, kb, index))
        ):
            targets = fitting  # "security logs are kept for 3 years" names no keyword but only fits retention
        elif best_open >= open_min:
            targets = sorted(_top(open_scores, 0.75), key=lambda cid: -open_scores[cid])[:3]
        elif not asked:
            # A narrative credits a control only from words that name it or one of its requirements.
            targets = [
                cid for cid in previous if same_sentence and index.signal_hits(kb.control(cid), clause.norm)
            ]
        elif same_sentence:
            targets = previous
        elif sentence_scores.get(clause.sentence):
            targets = _top(sentence_scores[clause.sentence])
        elif line_scores.get(clause.line) and "\n" in request.text:
            targets = _top(line_scores[clause.line])
        elif previous and clause.line == previous_line and _continues(clause, previous, asked):
            targets = previous
        else:
            targets = list(asked)
        for cid in targets:
            out.setdefault(cid, []).append(order)
        if targets:
            previous, previous_sentence, previous_line = targets, clause.sentence, clause.line
    return out


_EXCEPTING = re.compile(r"^(?:except|apart from|other than|besides|save for|aside from)\b")


def _threshold_fit(norm: str, open_ids: set[str], kb: KnowledgeBase, index: KeywordIndex) -> list[str]:
    """The one open control whose window the clause's duration fits and whose existence it names."""
    quantities = find_quantities(norm, date(2000, 1, 1))
    if not quantities:
        return []
    fitting = []
    for cid in sorted(open_ids):
        control = kb.control(cid)
        if not any(
            r.threshold and any(compatible(r.threshold, q) for q in quantities) for r in control.requirements
        ):
            continue
        if _names_a_core_requirement(norm, cid, kb, index):
            fitting.append(cid)
    return fitting if len(fitting) == 1 else []


def _names_a_core_requirement(norm: str, control_id: str, kb: KnowledgeBase, index: KeywordIndex) -> bool:
    """'..., but we've never tested it' still concerns a control whose existence or window is the test."""
    control = kb.control(control_id)
    by_id = {r.id: r for r in control.requirements}
    for requirement_id, words in index.signal_hits(control, norm).items():
        requirement = by_id[requirement_id]
        core = requirement.aspect in ("exists", "practice") or requirement.threshold is not None
        if core and any(len(w.strip()) >= 5 and w.strip() not in _GENERIC_SIGNALS for w in words):
            return True
    return False


def _speaks_of_all(clause: Clause) -> bool:
    if re.search(r"\b(both|either|neither|all of (them|these|those)|across the board)\b", clause.norm):
        return True
    return bool(re.search(r"\banywhere\b", clause.norm) and lx.NEGATION.search(clause.norm))


def _top(scores: dict[str, float], share: float = 0.6) -> list[str]:
    best = max(scores.values(), default=0.0)
    return [cid for cid, score in scores.items() if best > 0 and score >= share * best]


def _feature_scores(norm: str, text: str, asked: list[str], kb: KnowledgeBase) -> dict[str, float]:
    """'We reviewed the IR plan' is (also) an answer about testing it, whatever keyword it carries."""
    if len(asked) < 2 or not lx.NOT_A_TEST.search(norm) or lx.TESTED_CUE.search(text):
        return {}
    testing = re.compile(r"\b(test\w*|exercise\w*|tabletop|drill\w*)\b")
    return {
        cid: 1.0
        for cid in asked
        if any(
            r.aspect in ("exists", "practice") and testing.search(r.text.lower())
            for r in kb.control(cid).requirements
        )
    }


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
    [
        "all",
        "every",
        "any",
        "each",
        "both",
        "whole",
        "entire",
        "policy",
        "process",
        "review",
        "reviewed",
        "documented",
        "written",
        "record",
        "records",
        "report",
        "reports",
        "ticket",
        "tickets",
        "evidence",
        "export",
        "list",
        "yes",
        "enforced",
        "required",
        "always",
        "never",
        "only",
    ]
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
    for found_words in found.values():
        for word in found_words:
            owners[word] = owners.get(word, 0) + 1
    scores: dict[str, float] = {}
    if not skip:
        for cid, unique_words in found.items():
            score = sum(0.4 for w in unique_words if owners[w] == 1)
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
            scores[fitting[0]] = scores.get(fitting[0], 0.0) + 0.6
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


_TITLE_STOP = frozenset(
    {"every", "within", "before", "their", "other", "after", "where", "which", "month", "system"}
)
