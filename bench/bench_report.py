"""Report build and render time over the project's knowledge base, every in-scope control failing."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from agent.engine import AssessmentView, Progress
from agent.kb import load_knowledge
from agent.kb.models import CATEGORIES
from agent.report import build_report, render_html, render_markdown
from agent.settings import Settings
from agent.state import Finding, Pending, Profile

ROUNDS = 5


def run(results_dir: Path) -> dict[str, Any]:
    kb = load_knowledge()
    statuses = ("gap", "partial", "implemented", "unknown")
    view = AssessmentView(
        assessment_id="bench",
        profile=Profile(
            company_name="Bench Co",
            audit_type="type2",
            target_audit_date=date(2027, 9, 1),
            cloud="aws",
            identity_provider="okta",
            email_suite="google",
            code_host="github",
        ),
        scope=list(CATEGORIES),
        findings=[
            Finding(control_id=c.id, status=statuses[i % 4], rationale="bench", rule="bench")  # type: ignore[arg-type]
            for i, c in enumerate(kb.controls)
        ],
        progress=Progress(),
        transcript=[],
        pending=Pending(kind="done"),
        status="complete",
        stats={},
    )
    settings = Settings(data_dir=results_dir / "bench-report-data", _env_file=None)  # type: ignore[call-arg]
    timings: dict[str, list[float]] = {"build": [], "markdown": [], "html": []}
    for _ in range(ROUNDS):
        started = time.perf_counter()
        report = build_report(view, kb, settings, date(2027, 1, 4))
        timings["build"].append(time.perf_counter() - started)
        started = time.perf_counter()
        markdown = render_markdown(report)
        timings["markdown"].append(time.perf_counter() - started)
        started = time.perf_counter()
        html = render_html(report)
        timings["html"].append(time.perf_counter() - started)
    return {
        "controls": len(kb.controls),
        "roadmap_items": len(report.roadmap),
        "markdown_bytes": len(markdown.encode()),
        "html_bytes": len(html.encode()),
        **{f"{name}_ms_median": round(sorted(v)[len(v) // 2] * 1000, 1) for name, v in timings.items()},
    }
