"""Plays each fixture against a fresh engine and compares the agent's statuses with the labels."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from agent.engine import AssessmentView, Engine
from agent.kb import KnowledgeBase
from agent.nodes.base import Retriever
from agent.runtime import build_engine, build_retriever_lazily
from agent.settings import Settings
from agent.simulate import Fixture, load_fixture, play
from evals.metrics import summarize
from evals.scoring.injection import fixture_injections, without_injections

NO_FINDING = "(no finding)"
STAT_KEYS = ("questions", "model_calls", "input_tokens", "output_tokens", "cached_tokens")

EngineFactory = Callable[[Settings], Engine]


@dataclass
class FixtureResult:
    fixture_id: str
    expected: dict[str, str]
    got: dict[str, str]  # control id -> status, NO_FINDING when the agent never scored it
    mismatches: list[dict[str, Any]]
    stats: dict[str, int]
    settled: int
    seconds: float
    scope: dict[str, Any]
    priorities: dict[str, Any]
    unquoted: list[dict[str, Any]]
    injection: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # the engine raised: every expected control counts as missed

    def pairs(self) -> tuple[list[str], list[str]]:
        """Expected and predicted labels; a control the agent never scored counts as unknown."""
        ids = list(self.expected)
        return (
            [self.expected[i] for i in ids],
            [self.got[i] if self.got[i] != NO_FINDING else "unknown" for i in ids],
        )

    def as_dict(self) -> dict[str, Any]:
        expected, predicted = self.pairs()
        questions = self.stats.get("questions", 0)
        return {
            "id": self.fixture_id,
            **summarize(expected, predicted),
            **{k: self.stats.get(k, 0) for k in STAT_KEYS},
            "settled": self.settled,
            "settled_per_question": round(self.settled / questions, 3) if questions else None,
            "wall_seconds": round(self.seconds, 3),
            "scope": self.scope,
            "priorities": self.priorities,
            "findings_without_quote": self.unquoted,
            "injection": self.injection,
            "error": self.error,
            "mismatches": self.mismatches,
        }


def load_fixtures(folder: Path) -> list[Fixture]:
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise FileNotFoundError(f"no fixtures (*.yaml) in {folder}")
    return [load_fixture(p) for p in paths]


def default_engine_factory(
    kb: KnowledgeBase, today: date, retriever: Retriever | None = None
) -> EngineFactory:
    """Each call is a fresh engine on an in-memory checkpointer: no fixture sees another's state."""

    def make(settings: Settings) -> Engine:
        return build_engine(
            settings, kb=kb, retriever=retriever, checkpointer=InMemorySaver(), clock=lambda: today
        )

    return make


def shared_retriever(settings: Settings, kb: KnowledgeBase) -> Retriever:
    """One index for the whole run, built only if some fixture asks a question back."""
    return build_retriever_lazily(settings, kb)


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def unquoted_findings(view: AssessmentView) -> list[dict[str, Any]]:
    """Findings other than unknown with no quote that appears word for word in what the user said."""
    said = _normalise(" \n ".join(m.get("text", "") for m in view.transcript if m.get("role") == "user"))
    bad = []
    for finding in view.findings:
        if finding.status == "unknown":
            continue
        verbatim = [q for q in finding.evidence_quotes if q.strip() and _normalise(q) in said]
        if not verbatim:
            bad.append(
                {
                    "control_id": finding.control_id,
                    "status": finding.status,
                    "quotes": finding.evidence_quotes,
                }
            )
    return bad


def _mismatches(fixture: Fixture, view: AssessmentView) -> list[dict[str, Any]]:
    by_id = {f.control_id: f for f in view.findings}
    rows = []
    for control_id, expected in fixture.expected.items():
        finding = by_id.get(control_id)
        got = finding.status if finding else NO_FINDING
        if got == expected:
            continue
        rows.append(
            {
                "control_id": control_id,
                "expected": expected,
                "got": got,
                "rule": finding.rule if finding else "",
                "rationale": finding.rationale if finding else "",
                "quotes": list(finding.evidence_quotes) if finding else [],
                "answer": fixture.answers.get(control_id, ""),
            }
        )
    return rows


def _priorities(
    fixture: Fixture, view: AssessmentView, kb: KnowledgeBase, settings: Settings, today: date
) -> dict[str, Any]:
    wanted = list(fixture.expected_top_priorities)
    if not wanted:
        return {"expected": [], "available": True, "top10": [], "missing": []}
    try:
        from agent.report import build_report
    except ImportError:
        return {"expected": wanted, "available": False, "note": "roadmap not available", "missing": []}
    report = build_report(view, kb, settings, today)
    top = [cid for item in report.roadmap if item.rank <= 10 for cid in item.control_ids]
    return {
        "expected": wanted,
        "available": True,
        "top10": top,
        "missing": [cid for cid in wanted if cid not in top],
    }


def _play(make_engine: EngineFactory, settings: Settings, fixture: Fixture) -> tuple[AssessmentView, float]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"eval-{fixture.id}-") as tmp:
        engine = make_engine(settings.model_copy(update={"data_dir": Path(tmp)}))
        view = play(engine, fixture)
    return view, time.perf_counter() - started


def _failed(fixture: Fixture, error: BaseException, seconds: float) -> FixtureResult:
    """A fixture the engine crashed on still counts: every label is a miss, so a crash cannot raise a score."""
    message = f"{type(error).__name__}: {error}"
    return FixtureResult(
        fixture_id=fixture.id,
        expected=dict(fixture.expected),
        got=dict.fromkeys(fixture.expected, NO_FINDING),
        mismatches=[
            {
                "control_id": cid,
                "expected": exp,
                "got": NO_FINDING,
                "rule": "engine-error",
                "rationale": message,
                "quotes": [],
                "answer": fixture.answers.get(cid, ""),
            }
            for cid, exp in fixture.expected.items()
        ],
        stats=dict.fromkeys(STAT_KEYS, 0),
        settled=0,
        seconds=seconds,
        scope={"expected": sorted(fixture.expected_scope), "got": [], "ok": not fixture.expected_scope},
        priorities={
            "expected": list(fixture.expected_top_priorities),
            "available": True,
            "top10": [],
            "missing": list(fixture.expected_top_priorities),
        },
        unquoted=[],
        error=message,
    )


def run_fixture(
    fixture: Fixture,
    make_engine: EngineFactory,
    kb: KnowledgeBase,
    settings: Settings,
    today: date,
    check_injections: bool = True,
) -> FixtureResult:
    started = time.perf_counter()
    try:
        return _run_fixture(fixture, make_engine, kb, settings, today, check_injections)
    except Exception as error:  # one broken fixture must not hide the others' figures
        return _failed(fixture, error, time.perf_counter() - started)


def _run_fixture(
    fixture: Fixture,
    make_engine: EngineFactory,
    kb: KnowledgeBase,
    settings: Settings,
    today: date,
    check_injections: bool,
) -> FixtureResult:
    view, seconds = _play(make_engine, settings, fixture)
    got_all = {f.control_id: f.status for f in view.findings}
    result = FixtureResult(
        fixture_id=fixture.id,
        expected=dict(fixture.expected),
        got={cid: got_all.get(cid, NO_FINDING) for cid in fixture.expected},
        mismatches=_mismatches(fixture, view),
        stats={k: int(view.stats.get(k, 0)) for k in STAT_KEYS},
        settled=view.progress.settled,
        seconds=seconds,
        scope={
            "expected": sorted(fixture.expected_scope),
            "got": sorted(view.scope),
            "ok": not fixture.expected_scope or sorted(fixture.expected_scope) == sorted(view.scope),
        },
        priorities=_priorities(fixture, view, kb, settings, today),
        unquoted=unquoted_findings(view),
    )
    sentences = fixture_injections(fixture)
    if check_injections and sentences:
        clean_view, clean_seconds = _play(make_engine, settings, without_injections(fixture))
        clean = {f.control_id: f.status for f in clean_view.findings}
        changed = [
            {
                "control_id": cid,
                "with_injection": got_all.get(cid, NO_FINDING),
                "without": clean.get(cid, NO_FINDING),
            }
            for cid in sorted(set(got_all) | set(clean))
            if got_all.get(cid) != clean.get(cid)
        ]
        result.injection = {"sentences": sentences, "changed": changed}
        result.seconds += clean_seconds
    return result
