"""Turn latency of the engine (offline interpreter, SQLite checkpoints: no model in the loop) and how many
questions it takes to finish a typical Security + Availability assessment (the aim is <= 35)."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from agent.checkpoint import checkpointer
from agent.kb import load_knowledge
from agent.runtime import build_engine
from agent.settings import Settings
from agent.simulate import SimulatedPerson, load_fixture

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
TYPICAL = ("seed-stage-saas-aws", "narrative-first-fintech")
TODAY = date(2026, 11, 28)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _play_timed(engine: Any, fixture_path: Path) -> tuple[list[float], dict[str, Any]]:
    fixture = load_fixture(fixture_path)
    person = SimulatedPerson(fixture)
    latencies: list[float] = []
    started = time.perf_counter()
    result = engine.start()
    latencies.append(time.perf_counter() - started)
    opening = person.opening()
    texts = [opening] if opening else []
    kinds = {"intake": 0, "control": 0, "follow_up": 0}
    seen: set[str] = set()
    while result.status != "complete":
        if result.pending.kind == "intake":
            kinds["intake"] += 1
        else:
            repeated = any(cid in seen for cid in result.pending.control_ids)
            kinds["follow_up" if repeated else "control"] += 1
            seen.update(result.pending.control_ids)
        text = texts.pop(0) if texts else person.reply(result.pending)
        started = time.perf_counter()
        result = engine.send(result.assessment_id, text)
        latencies.append(time.perf_counter() - started)
    view = engine.get_state(result.assessment_id)
    return latencies, {
        "scope": view.scope,
        "questions": view.stats["questions"],
        "asked": kinds,
        "turns": len(latencies) - 1,
        "controls": len(view.findings),
    }


def run(results_dir: Path) -> dict[str, Any]:
    kb = load_knowledge()
    per_fixture: dict[str, Any] = {}
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), llm="offline", _env_file=None)  # type: ignore[call-arg]
        with checkpointer(settings) as saver:
            engine = build_engine(settings, kb=kb, checkpointer=saver, clock=lambda: TODAY)
            for name in TYPICAL:
                path = FIXTURES / f"{name}.yaml"
                if not path.exists():
                    continue
                timings, figures = _play_timed(engine, path)
                latencies += timings
                per_fixture[name] = figures
    ms = [t * 1000 for t in latencies]
    typical = per_fixture.get(TYPICAL[0], {})
    return {
        "turns_measured": len(ms),
        "turn_ms_p50": round(statistics.median(ms), 2) if ms else None,
        "turn_ms_p95": round(_percentile(ms, 0.95), 2) if ms else None,
        "turn_ms_max": round(max(ms), 2) if ms else None,
        "questions_security_availability": typical.get("questions"),
        "questions_target": 35,
        "fixtures": per_fixture,
    }
