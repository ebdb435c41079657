"""Drives the web widget in real headless Chromium: fixtures and helpers shared by the widget tests.

Test modules import what they use, fixtures included:
    from tests.server.live_server import live_server  # noqa: F401
    from tests.server.widget_driver import browsed_fixture, browser_fixture  # noqa: F401
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import services_required
from tests.server.live_server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Call at import time of a browser test module: skips it (fails it under CI) without Chromium."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed: browser tests need headless Chromium"
    if services_required():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


require_chromium()

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

NOT_SURE = "I'm not sure"
EXPECTED_CHOICES: dict[str, list[str]] = {
    "audit_type": ["Type I", "Type II", NOT_SURE],
    "uptime_commitments": ["Yes", "No", NOT_SURE],
    "confidentiality_commitments": ["Yes", "No", NOT_SURE],
    "processing_integrity_commitments": ["Yes", "No", NOT_SURE],
    "privacy_commitments": ["Yes", "No", NOT_SURE],
    "cloud": ["AWS", "GCP", "Azure", "Other", NOT_SURE],
    "identity_provider": ["Okta", "Google Workspace", "Microsoft Entra ID", "Other", NOT_SURE],
    "email_suite": ["Google Workspace", "Microsoft 365", "Other", NOT_SURE],
    "code_host": ["GitHub", "GitLab", "Bitbucket", "Other", NOT_SURE],
}
# What the test "user" answers at each intake step: ("type", text) or ("chip", label).
INTAKE_PLAN: dict[str, tuple[str, str]] = {
    "company_name": ("type", "Acme Analytics"),
    "employees": ("type", "about 25 people"),
    "audit_type": ("chip", "Type II"),
    "target_audit_date": ("chip", "<first>"),
    "uptime_commitments": ("chip", "Yes"),
    "confidentiality_commitments": ("chip", "No"),
    "processing_integrity_commitments": ("chip", "No"),
    "privacy_commitments": ("chip", "No"),
    "cloud": ("chip", "AWS"),
    "identity_provider": ("chip", "Okta"),
    "email_suite": ("chip", "Google Workspace"),
    "code_host": ("chip", "GitHub"),
}
POLICY_ANSWER = "Yes, we have a written security policy; our CEO last reviewed and approved it in March 2026."


@dataclass
class Browsed:
    page: Page
    server: LiveServer
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    allow_console_errors: bool = False
    other_origins: tuple[str, ...] = ()  # where the host page itself lives, when not on the server


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield launched
        launched.close()


@contextmanager
def browse(browser: Browser, server: LiveServer, url: str, *other_origins: str) -> Iterator[Browsed]:
    """A fresh browser context (empty localStorage) on `url` that records console errors and every
    request; on exit it asserts that nothing left for another origin and nothing logged an error."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    result = Browsed(page=page, server=server, other_origins=other_origins)
    page.on("console", lambda msg: result.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: result.console_errors.append(f"pageerror: {exc}"))
    page.on("request", lambda req: result.requests.append(req.url))
    page.goto(url)
    yield result
    context.close()
    own = (server.base_url, "data:", "blob:", *result.other_origins)
    outside = [u for u in result.requests if not u.startswith(own)]
    assert outside == [], f"the page made external requests: {outside}"
    if not result.allow_console_errors:
        assert result.console_errors == [], f"console errors: {result.console_errors}"


@pytest.fixture(name="browsed")
def browsed_fixture(browser: Browser, live_server: LiveServer) -> Iterator[Browsed]:
    """The demo page of the module's live server, in a fresh context."""
    with browse(browser, live_server, live_server.url("/")) as result:
        yield result


# ------------------------------------------------------------------------------------------- helpers
def wait_idle(page: Page) -> None:
    expect(page.locator(".msg.sending")).to_have_count(0)
    expect(page.locator(".typing")).to_have_count(0)
    expect(page.locator(".panel.busy")).to_have_count(0)


def open_widget(page: Page) -> None:
    page.locator(".launcher").click()
    expect(page.locator("[role=dialog]")).to_be_visible()
    expect(page.locator(".msg.assistant").first).to_be_visible()
    wait_idle(page)


def type_answer(page: Page, text: str) -> None:
    page.locator("#s2g-input").fill(text)
    page.locator("#s2g-input").press("Enter")
    wait_idle(page)


def click_chip(page: Page, label: str) -> None:
    chips = page.locator(".quick .chip")
    (
        chips.first if label == "<first>" else chips.filter(has_text=re.compile(f"^{re.escape(label)}$"))
    ).click()
    wait_idle(page)


def chip_labels(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".quick .chip").all_inner_texts()]


def saved_session(page: Page) -> dict[str, Any]:
    raw = page.evaluate(
        "() => { const k = Object.keys(localStorage).find(k => k.startsWith('soc2gap:widget:'));"
        " return k ? localStorage.getItem(k) : null; }"
    )
    assert raw, "the widget saved no session in localStorage"
    return dict(json.loads(raw))


def server_state(b: Browsed) -> dict[str, Any]:
    """The assessment as the API reports it, read with the widget's own credentials."""
    session = saved_session(b.page)
    headers = {"Authorization": f"Bearer {b.server.widget_key}", "X-Session-Token": session["token"]}
    with b.server.client(headers=headers) as client:
        response = client.get(f"/v1/assessments/{session['id']}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def finish_intake(b: Browsed) -> None:
    """Answers every intake question, checking the quick replies offered for each against the API's pending."""
    for _ in range(len(INTAKE_PLAN) + 2):
        pending = server_state(b)["pending"]
        if pending["kind"] != "intake":
            return
        field_name = pending["field"]
        if field_name in EXPECTED_CHOICES:
            assert chip_labels(b.page) == EXPECTED_CHOICES[field_name], field_name
        how, value = INTAKE_PLAN[field_name]
        if how == "type":
            type_answer(b.page, value)
        else:
            click_chip(b.page, value)
    raise AssertionError("intake did not finish")


def transcript_texts(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".log .msg .bubble").all_inner_texts()]
