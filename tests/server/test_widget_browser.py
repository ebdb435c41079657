"""The web widget end to end in headless Chromium against the live app (offline interpreter, tmp data)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.server.live_server import live_server  # noqa: F401  (fixture)
from tests.server.widget_driver import (  # noqa: F401  (fixtures)
    EXPECTED_CHOICES,
    POLICY_ANSWER,
    Browsed,
    browsed_fixture,
    browser_fixture,
    chip_labels,
    click_chip,
    finish_intake,
    open_widget,
    saved_session,
    server_state,
    transcript_texts,
    type_answer,
    wait_idle,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "bench" / "results"
pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_intake_and_controls_with_quick_replies_typing_and_progress(browsed: Browsed) -> None:
    page = browsed.page
    open_widget(page)
    expect(page.locator(".log .msg.assistant strong").first).to_have_text("skip")  # markdown rendered
    finish_intake(browsed)

    state = server_state(browsed)
    assert state["profile"]["audit_type"] == "type2"
    assert state["profile"]["cloud"] == "aws"
    assert state["profile"]["identity_provider"] == "okta"
    assert "availability" in state["scope"]
    assert state["pending"]["kind"] == "control"
    assert chip_labels(page) == ["Not sure", "Skip", "Go back"]

    type_answer(page, POLICY_ANSWER)
    click_chip(page, "Not sure")
    click_chip(page, "Skip")
    type_answer(
        page,
        "Everyone does security awareness training at onboarding and yearly; we keep completion records.",
    )

    state = server_state(browsed)
    finding_ids = {f["control_id"] for f in state["findings"]}
    assert "CC1-POLICY" in finding_ids
    assert state["progress"]["settled"] >= 4
    segments = page.locator(".segments [role=progressbar]")
    expect(segments).to_have_count(len(state["progress"]["domains"]))
    shown = [int(v or 0) for v in (s.get_attribute("aria-valuenow") for s in segments.all())]
    assert shown == [d["settled"] for d in state["progress"]["domains"]]
    totals = [d["total"] for d in state["progress"]["domains"]]
    assert [int(s.get_attribute("aria-valuemax") or 0) for s in segments.all()] == totals
    expect(page.locator(".progress-text")).to_contain_text(
        f"{state['progress']['settled']} of {state['progress']['total']} controls settled"
    )
    # The user's own words are in the conversation, escaped, exactly as typed.
    expect(page.locator(".msg.user .bubble").filter(has_text="March 2026")).to_have_count(1)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.locator(".log").evaluate(
        "log => { const mine = [...log.querySelectorAll('.msg.user')].pop();"
        " log.scrollTop = mine.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop - 16; }"
    )
    page.screenshot(path=str(ARTIFACTS / "widget.png"))


def test_reload_resumes_the_same_assessment_and_transcript(browsed: Browsed) -> None:
    page = browsed.page
    open_widget(page)
    finish_intake(browsed)
    type_answer(page, POLICY_ANSWER)
    before = transcript_texts(page)
    session = saved_session(page)
    pending_before = server_state(browsed)["pending"]

    page.reload()
    expect(page.locator("[role=dialog]")).to_be_visible()  # it was open, so it reopens
    wait_idle(page)
    expect(page.locator(".log .msg")).to_have_count(len(before))
    assert transcript_texts(page) == before
    assert saved_session(page)["id"] == session["id"]
    assert chip_labels(page) == ["Not sure", "Skip", "Go back"]

    click_chip(page, "Skip")
    state = server_state(browsed)
    assert state["assessment_id"] == session["id"]
    assert state["pending"] != pending_before
    assert len(transcript_texts(page)) > len(before)


def test_report_downloads_as_html_and_markdown(browsed: Browsed) -> None:
    page = browsed.page
    open_widget(page)
    finish_intake(browsed)
    type_answer(page, POLICY_ANSWER)
    click_chip(page, "Not sure")

    with page.expect_download() as html_download:
        page.locator(".download[data-format=html]").click()
    html_path = html_download.value.path()
    assert html_download.value.suggested_filename.endswith(".html")
    html = Path(str(html_path)).read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "CC1-POLICY" in html
    assert "Acme Analytics" in html
    assert "March 2026" in html  # the user's words quoted as evidence

    with page.expect_download() as md_download:
        page.locator(".download[data-format=md]").click()
    assert md_download.value.suggested_filename.endswith(".md")
    markdown = Path(str(md_download.value.path())).read_text(encoding="utf-8")
    assert markdown.startswith("#")
    assert "CC1-POLICY" in markdown
    expect(page.locator(".foot-status")).to_contain_text("Downloaded")


def test_api_errors_are_shown_politely_and_the_typed_text_is_kept(browsed: Browsed) -> None:
    browsed.allow_console_errors = True  # Chromium logs every failed request to the console
    page = browsed.page
    open_widget(page)
    too_long = "We use Okta everywhere. " * 400  # over the server's 8000-character limit
    page.locator("#s2g-input").fill(too_long)
    page.locator("#s2g-input").press("Enter")
    wait_idle(page)
    error = page.locator(".error[role=alert]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Sorry")
    expect(error).to_contain_text("the limit is 8000")
    assert page.locator("#s2g-input").input_value() == too_long
    expect(page.locator(".msg.user")).to_have_count(0)

    page.route("**/messages", lambda route: route.abort())
    type_answer(page, "Acme Analytics")
    expect(error).to_contain_text("couldn't reach")
    assert page.locator("#s2g-input").input_value() == "Acme Analytics"
    page.unroute("**/messages")
    page.locator("#s2g-input").press("Enter")  # retry: the same text, now delivered once
    wait_idle(page)
    expect(error).to_be_hidden()
    assert page.locator("#s2g-input").input_value() == ""
    assert server_state(browsed)["profile"]["company_name"] == "Acme Analytics"

    # The server applies an answer but the reply is lost on the way back: the retry carries the same
    # Idempotency-Key, so the answer is not applied twice and the widget shows what the server recorded.
    def deliver_then_drop(route: Any) -> None:
        route.fetch()
        route.abort()

    page.route("**/messages", deliver_then_drop)
    type_answer(page, "25")
    expect(error).to_contain_text("couldn't reach")
    page.unroute("**/messages")
    page.locator("#s2g-input").press("Enter")
    wait_idle(page)
    expect(page.locator(".msg.user .bubble").filter(has_text=re.compile("^25$"))).to_have_count(1)
    expect(error).to_be_hidden()
    expect(page.locator("#s2g-input")).to_have_value("")
    assert any("409" in e for e in browsed.console_errors)  # the retry really was a duplicate
    state = server_state(browsed)
    assert state["profile"]["employees"] == 25
    assert [m["text"] for m in state["transcript"] if m["role"] == "user"] == ["Acme Analytics", "25"]


def test_start_over_deletes_and_starts_fresh(browsed: Browsed) -> None:
    page = browsed.page
    open_widget(page)
    type_answer(page, "Acme Analytics")
    old = saved_session(page)
    page.locator(".restart").click()
    expect(page.locator(".confirm")).to_be_visible()
    page.locator(".confirm-yes").click()
    expect(page.locator(".confirm")).to_be_hidden()
    wait_idle(page)
    new = saved_session(page)
    assert new["id"] != old["id"]
    expect(page.locator(".msg.user")).to_have_count(0)
    headers = {"Authorization": f"Bearer {browsed.server.widget_key}", "X-Session-Token": old["token"]}
    with browsed.server.client(headers=headers) as client:
        assert client.get(f"/v1/assessments/{old['id']}").status_code == 404


def test_markdown_renderer_escapes_html_and_unsafe_links(browsed: Browsed) -> None:
    page = browsed.page
    expect(page.locator(".launcher")).to_be_attached()
    source = (
        "# Title\n<img src=x onerror=alert(1)> **bold** and *it* and `<b>code</b>`\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n[bad](javascript:alert(1)) [good](https://example.com/a_b)"
    )
    html = page.evaluate("src => window.SOC2GapWidget.renderMarkdown(src)", source)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html and "<ol><li>first</li><li>second</li></ol>" in html
    assert "javascript:" not in html
    assert '<a href="https://example.com/a_b" target="_blank" rel="noopener noreferrer">good</a>' in html
    assert re.search(r"<h3>Title</h3>", html)


def test_demo_page_hosts_the_widget_with_the_demo_key(browsed: Browsed) -> None:
    page = browsed.page
    response = page.goto(browsed.server.url("/"))
    assert response is not None and response.ok
    assert "default-src 'self'" in (response.headers.get("content-security-policy") or "")
    tag = page.locator("script[src='/widget.js']")
    expect(tag).to_have_attribute("data-key", browsed.server.widget_key)
    expect(page.locator("h1")).to_contain_text("SOC 2")
    expect(page.locator("[role=dialog]")).to_be_hidden()
    page.get_by_role("button", name="Start the readiness check").click()  # the page's own call to action
    expect(page.locator("[role=dialog]")).to_be_visible()
    wait_idle(page)
    expect(page.locator(".msg.assistant")).to_have_count(2)


def test_completed_assessment_locks_the_composer_and_survives_reload(browsed: Browsed) -> None:
    page = browsed.page
    open_widget(page)
    finish_intake(browsed)
    for _ in range(80):
        if server_state(browsed)["status"] == "complete":
            break
        click_chip(page, "Skip")
    state = server_state(browsed)
    assert state["status"] == "complete" and state["pending"]["kind"] == "done"
    assert state["progress"]["settled"] == state["progress"]["total"]
    for _ in range(2):  # as finished live, then as restored after a reload
        expect(page.locator("#s2g-input")).to_be_disabled()
        expect(page.locator(".quick .chip")).to_have_count(0)
        expect(page.locator(".progress-text")).to_contain_text("all domains covered")
        expect(page.locator(".panel.complete .download[data-format=html]")).to_be_visible()
        page.reload()
        expect(page.locator("[role=dialog]")).to_be_visible()
        wait_idle(page)
    with page.expect_download() as download:
        page.locator(".download[data-format=html]").click()
    assert "CC1-POLICY" in Path(str(download.value.path())).read_text(encoding="utf-8")
