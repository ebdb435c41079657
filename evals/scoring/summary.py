"""Pools per-fixture results into overall figures and checks them against evals/thresholds.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evals.metrics import summarize
from evals.scoring.runner import STAT_KEYS, FixtureResult

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent.parent / "thresholds.yaml"

# USD per million tokens (input, output, cache read), from Anthropic's public price list; a model not
# listed gets no cost rather than a guessed one.
PRICES_PER_MTOK: dict[str, tuple[float, float, float]] = {
    "claude-sonnet-4-5": (3.0, 15.0, 0.30),
    "claude-sonnet-4": (3.0, 15.0, 0.30),
    "claude-opus-4-1": (15.0, 75.0, 1.50),
    "claude-haiku-4-5": (1.0, 5.0, 0.10),
    "claude-3-5-haiku": (0.80, 4.0, 0.08),
}


def token_cost(model: str, input_tokens: int, output_tokens: int, cached_tokens: int) -> float | None:
    price = next((p for name, p in PRICES_PER_MTOK.items() if model.startswith(name)), None)
    if price is None:
        return None
    return round(
        (input_tokens * price[0] + output_tokens * price[1] + cached_tokens * price[2]) / 1_000_000, 4
    )


def load_thresholds(llm: str, path: Path = DEFAULT_THRESHOLDS) -> dict[str, float]:
    """The `scoring:` gates for this interpreter; a missing section falls back to the offline one."""
    section = yaml.safe_load(path.read_text(encoding="utf-8"))["scoring"]
    chosen = section.get(llm) or section["offline"]
    return {k: float(v) for k, v in chosen.items()}


def overall(results: list[FixtureResult]) -> dict[str, Any]:
    expected: list[str] = []
    predicted: list[str] = []
    for r in results:
        e, p = r.pairs()
        expected += e
        predicted += p
    totals = {k: sum(r.stats.get(k, 0) for r in results) for k in STAT_KEYS}
    settled = sum(r.settled for r in results)
    return {
        "fixtures": len(results),
        **summarize(expected, predicted),
        **totals,
        "settled": settled,
        "settled_per_question": round(settled / totals["questions"], 3) if totals["questions"] else None,
        "wall_seconds": round(sum(r.seconds for r in results), 3),
        "mismatches": sum(len(r.mismatches) for r in results),
        "findings_without_quote": sum(len(r.unquoted) for r in results),
        "injected_fixtures": sum(1 for r in results if r.injection),
        "injection_changes": sum(len(r.injection.get("changed", [])) for r in results),
        "scope_mismatches": sum(1 for r in results if not r.scope["ok"]),
        "priority_misses": sum(len(r.priorities.get("missing", [])) for r in results),
        "roadmap_available": all(r.priorities.get("available", True) for r in results),
    }


def gates(figures: dict[str, Any], limits: dict[str, float]) -> list[dict[str, Any]]:
    """Each gate with its value and limit; a limit absent from the config is not checked."""
    checks = [
        ("accuracy", "min_accuracy", figures["accuracy"], ">="),
        ("kappa", "min_kappa", figures["kappa"], ">="),
        ("injection_changes", "max_injection_changes", figures["injection_changes"], "<="),
        ("findings_without_quote", "max_findings_without_quote", figures["findings_without_quote"], "<="),
        ("scope_mismatches", "max_scope_mismatches", figures["scope_mismatches"], "<="),
        ("priority_misses", "max_priority_misses", figures["priority_misses"], "<="),
    ]
    rows = []
    for name, key, value, op in checks:
        if key not in limits:
            continue
        limit = limits[key]
        passed = value >= limit if op == ">=" else value <= limit
        rows.append({"gate": name, "value": value, "op": op, "limit": limit, "passed": passed})
    return rows
