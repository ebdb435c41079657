"""Open the HTML report in real headless Chromium: it renders its charts and tables offline, cleanly.

The full-page screenshot is kept as an artifact at bench/results/report-html.png (git-ignored).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agent.kb import KnowledgeBase
from agent.report import build_report, write_reports
from agent.settings import Settings
from tests.agent.report.views import view
from tests.conftest import services_required

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACT = Path(__file__).resolve().parents[3] / "bench" / "results" / "report-html.png"


def _need_chromium() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright python package is not installed"
    if reason is None:
        return
    if services_required():
        pytest.fail(f"SOC2GAP_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(f"headless browser test skipped: {reason}")


@pytest.mark.browser
@pytest.mark.integration
def test_html_report_renders_in_chromium(small_kb: KnowledgeBase, settings: Settings, tmp_path: Path) -> None:
    _need_chromium()
    from playwright.sync_api import Request, sync_playwright

    report = build_report(view(uptime_commitments=True), small_kb, settings, date(2027, 1, 4))
    page_path = write_reports(report, tmp_path / "out")["html"]
    url = page_path.as_uri()
    requests: list[str] = []
    problems: list[str] = []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def on_request(request: Request) -> None:
                requests.append(request.url)

            page.on("request", on_request)
            page.on(
                "console",
                lambda msg: (
                    problems.append(f"console {msg.type}: {msg.text}")
                    if msg.type in ("error", "warning")
                    else None
                ),
            )
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.goto(url, wait_until="load")

            bars = page.locator("svg.status-chart rect.bar")
            expected_bars = sum(
                1 for counts in report.summary.by_group.values() for n in counts.values() if n
            )
            assert bars.count() == expected_bars > 0
            for i in range(bars.count()):
                box = bars.nth(i).bounding_box()
                assert box is not None and box["width"] > 0 and box["height"] > 0
            assert page.locator("svg.timeline-chart rect.task").count() == len(report.roadmap)
            assert page.locator("svg.ring").is_visible()

            assert page.locator("table.findings tbody tr").count() == len(report.findings)
            iso_rows = page.locator("table.crosswalk.iso27001 tbody tr").count()
            csf_rows = page.locator("table.crosswalk.nist_csf tbody tr").count()
            assert (iso_rows, csf_rows) == (
                len(report.crosswalk["iso27001"]),
                len(report.crosswalk["nist_csf"]),
            )
            assert page.locator("#roadmap .item").count() == len(report.roadmap)
            assert "Acme Analytics" in page.title()
            # The user's words arrive as text, never as markup.
            assert page.locator("script").count() == 0
            assert "<script>alert(1)</script>" in page.locator("table.findings").inner_text()

            ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACT), full_page=True)
            page.screenshot(path=str(tmp_path / "report-html.png"), full_page=True)
        finally:
            browser.close()

    assert problems == []
    assert requests == [url], f"the report made requests beyond its own file: {requests}"
    assert ARTIFACT.stat().st_size > 10_000
