"""Which controls a clause talks about, from the knowledge base's keywords and requirement signals.

One combined regular expression per knowledge base finds every keyword in a clause in a single pass;
a keyword shared by several controls counts for less than one only a single control uses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from agent.kb import KnowledgeBase
from agent.kb.models import Control, Requirement


def term_pattern(term: str) -> str:
    """A keyword matches at a word start; short ones must end there too (plural allowed)."""
    escaped = re.escape(term.lower().strip()).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
    if len(term) <= 4:
        return rf"\b{escaped}(?:s|es)?\b"
    return rf"\b{escaped}"


@dataclass
class KeywordIndex:
    pattern: re.Pattern[str]
    owners: dict[str, set[str]]  # normalized keyword -> control ids
    signals: dict[str, dict[str, re.Pattern[str]]]  # control id -> requirement id -> signal pattern
    signal_words: dict[str, dict[str, list[str]]]

    def control_scores(self, norm: str, candidates: set[str] | None = None) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        seen: set[str] = set()
        for match in self.pattern.finditer(norm):
            key = _key(match.group(0))
            if key in seen:
                continue
            seen.add(key)
            owners = self.owners.get(key)
            if not owners:
                continue
            # Among the controls being asked about, a keyword only they share tells them apart.
            relevant = owners if candidates is None else owners & candidates
            if not relevant:
                continue
            weight = 1.0 / len(relevant)
            for control_id in owners:
                if candidates is None or control_id in candidates:
                    scores[control_id] += weight
        for control_id in re.findall(r"\b(?:cc\d|a1|c1|pi1|p\d)-[a-z0-9-]+\b", norm):
            upper = control_id.upper()
            if candidates is None or upper in candidates:
                scores[upper] += 5.0
        return dict(scores)

    def signal_hits(self, control: Control, norm: str) -> dict[str, list[str]]:
        hits: dict[str, list[str]] = {}
        for requirement in control.requirements:
            pattern = self.signals[control.id].get(requirement.id)
            if pattern is None:
                continue
            found = [m.group(0) for m in pattern.finditer(norm)]
            if found:
                hits[requirement.id] = found
        return hits


def _key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower()).strip()


def build_index(kb: KnowledgeBase) -> KeywordIndex:
    owners: dict[str, set[str]] = defaultdict(set)
    for control in kb.controls:
        for keyword in control.keywords:
            owners[_key(keyword)].add(control.id)
    terms = sorted(owners, key=len, reverse=True)
    pattern = re.compile("|".join(term_pattern(t) for t in terms)) if terms else re.compile(r"(?!x)x")
    # Matched text may carry a plural or hyphen; map every surface form back to its keyword.
    surface: dict[str, set[str]] = {}
    for term in terms:
        surface[term] = owners[term]
    signals: dict[str, dict[str, re.Pattern[str]]] = {}
    signal_words: dict[str, dict[str, list[str]]] = {}
    for control in kb.controls:
        signals[control.id] = {}
        signal_words[control.id] = {}
        for requirement in control.requirements:
            words = _signal_words(requirement)
            signal_words[control.id][requirement.id] = words
            if words:
                signals[control.id][requirement.id] = re.compile(
                    "|".join(term_pattern(w) for w in sorted(words, key=len, reverse=True))
                )
    return KeywordIndex(
        pattern=pattern, owners=_with_plurals(surface), signals=signals, signal_words=signal_words
    )


def _signal_words(requirement: Requirement) -> list[str]:
    return [s.lower().strip() for s in requirement.signals if s.strip()]


def _with_plurals(owners: dict[str, set[str]]) -> dict[str, set[str]]:
    expanded: dict[str, set[str]] = {}
    for term, ids in owners.items():
        for form in (term, term + "s", term + "es"):
            expanded.setdefault(form, set()).update(ids)
    return _PrefixOwners(expanded)


class _PrefixOwners(dict[str, set[str]]):
    """Long keywords match as prefixes ("autoscal" in "autoscaling"): fall back to the longest owner."""

    def get(self, key: str, default: set[str] | None = None) -> set[str] | None:  # type: ignore[override]
        if key in self:
            return self[key]
        for length in range(len(key) - 1, 4, -1):
            if key[:length] in self:
                return self[key[:length]]
        return default
