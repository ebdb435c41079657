"""Snapshot of the Markdown report for a fixed assessment, KB and date.

The snapshot is tests/agent/report/snapshots/report.md. After an intended change to the rendering,
regenerate it and review the diff before committing:

    SOC2GAP_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/agent/report/test_markdown_snapshot.py -q
    git diff tests/agent/report/snapshots/
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from agent.kb import KnowledgeBase
from agent.report import build_report, render_markdown
from agent.settings import Settings
from tests.agent.report.views import view

SNAPSHOT = Path(__file__).parent / "snapshots" / "report.md"


def test_markdown_matches_snapshot(small_kb: KnowledgeBase, settings: Settings) -> None:
    report = build_report(view(uptime_commitments=True), small_kb, settings, date(2027, 1, 4))
    rendered = render_markdown(report)
    if os.environ.get("SOC2GAP_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(rendered, encoding="utf-8")
        pytest.skip(f"snapshot rewritten: {SNAPSHOT}")
    assert SNAPSHOT.exists(), f"no snapshot yet; create it with SOC2GAP_UPDATE_SNAPSHOTS=1 ({__doc__})"
    assert rendered == SNAPSHOT.read_text(encoding="utf-8"), (
        "Markdown report changed; if intended, regenerate with SOC2GAP_UPDATE_SNAPSHOTS=1 and review the diff"
    )
