"""Accessibility of the web widget in headless Chromium: keyboard-only use, ARIA, WCAG AA contrast."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.server.live_server import live_server  # noqa: F401  (fixture)
from tests.server.widget_driver import (  # noqa: F401  (fixtures)
    EXPECTED_CHOICES,
    Browsed,
    browsed_fixture,
    browser_fixture,
    chip_labels,
    open_widget,
    server_state,
    type_answer,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def _deep_active(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => { let el = document.activeElement;
                 while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
                 const s = getComputedStyle(el);
                 return {cls: el.className || '', id: el.id || '', tag: el.tagName, text: (el.innerText || '').trim(),
                         outline: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"""
        )
    )


def _describe(active: dict[str, Any]) -> str:
    if active["id"] or active["tag"] == "SUMMARY":
        return str(active["id"] or "summary")
    classes = str(active["cls"]).split()
    if "download" in classes:
        return "html" if "HTML" in active["text"] else "md"
    return classes[-1] if classes else active["tag"].lower()


def test_keyboard_only_operation(browsed: Browsed) -> None:
    page = browsed.page
    for _ in range(40):  # the launcher is reachable with Tab alone
        page.keyboard.press("Tab")
        if "launcher" in _deep_active(page)["cls"]:
            break
    launcher = _deep_active(page)
    assert "launcher" in launcher["cls"]
    assert launcher["outline"] != "none" and launcher["width"] >= 2  # visible focus ring

    expect(page.locator(".launcher")).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.locator("[role=dialog]")).to_be_visible()
    expect(page.locator(".launcher")).to_have_attribute("aria-expanded", "true")
    wait_idle(page)
    assert _deep_active(page)["id"] == "s2g-input"  # focus lands in the composer

    page.keyboard.type("Acme Analytics")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.keyboard.type("40")
    page.keyboard.press("Enter")
    wait_idle(page)
    assert chip_labels(page) == EXPECTED_CHOICES["audit_type"]
    page.keyboard.press("Shift+Tab")  # composer -> last quick reply -> the one before it
    page.keyboard.press("Shift+Tab")
    chip = _deep_active(page)
    assert chip["text"] == "Type II" and chip["outline"] != "none" and chip["width"] >= 2
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.locator(".msg.user .bubble").last).to_have_text("Type II")
    assert server_state(browsed)["profile"]["audit_type"] == "type2"
    assert _deep_active(page)["id"] == "s2g-input"  # back in the composer, ready for the next answer

    # Focus order follows reading order: header, progress, conversation, replies, composer, report.
    chips = len(chip_labels(page))
    page.locator(".restart").focus()
    visited = [_describe(_deep_active(page))]
    for _ in range(7 + chips):
        page.keyboard.press("Tab")
        visited.append(_describe(_deep_active(page)))
    expected = ["restart", "close", "summary", "log", *["chip"] * chips, "s2g-input", "send", "html", "md"]
    assert visited == expected

    page.keyboard.press("Escape")
    expect(page.locator("[role=dialog]")).to_be_hidden()
    assert "launcher" in _deep_active(page)["cls"]  # focus returns to the bubble


def test_accessibility_attributes(browsed: Browsed) -> None:
    page = browsed.page
    open_widget(page)
    dialog = page.locator("[role=dialog]")
    expect(dialog).to_have_attribute("aria-labelledby", "s2g-title")
    expect(page.locator("#s2g-title")).to_have_text("SOC 2 readiness check")
    expect(page.locator(".log")).to_have_attribute("aria-live", "polite")
    expect(page.locator(".log")).to_have_attribute("role", "log")
    expect(page.locator(".close")).to_have_attribute("aria-label", "Close chat")
    expect(page.locator(".send")).to_have_attribute("aria-label", "Send")
    expect(page.locator("label[for=s2g-input]")).to_have_text("Your answer")
    expect(page.locator(".quick")).to_have_attribute("aria-label", "Suggested replies")
    expect(page.locator(".error")).to_have_attribute("role", "alert")


# ------------------------------------------------------------------------------------ colour contrast
COLLECT_COLOURS = """() => {
  const out = [];
  const layers = el => { const bgs = []; let node = el;
    while (node) { if (node.nodeType === 1) bgs.push(getComputedStyle(node).backgroundColor);
      node = node.parentNode || (node.host || null); }
    return bgs; };
  const visit = (root, where) => root.querySelectorAll('*').forEach(el => {
    if (el.shadowRoot) visit(el.shadowRoot, 'widget');
    if (el.closest('.sr-only') || !el.getClientRects().length) return;
    if (['STYLE', 'SCRIPT', 'svg', 'path'].includes(el.tagName)) return;
    const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) return;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || parseFloat(s.opacity) < 1) return;
    out.push({where, tag: el.tagName, cls: String(el.className), text: el.textContent.trim().slice(0, 40),
              fg: s.color, bgs: layers(el), size: parseFloat(s.fontSize), weight: parseInt(s.fontWeight)});
  });
  visit(document, 'page');
  return out;
}"""


def _rgba(text: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0)


def _over(top: tuple[float, ...], below: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    return (
        top[0] * alpha + below[0] * (1 - alpha),
        top[1] * alpha + below[1] * (1 - alpha),
        top[2] * alpha + below[2] * (1 - alpha),
    )


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bgs: list[str]) -> float:
    backdrop = (255.0, 255.0, 255.0)
    for layer in reversed(bgs):  # paint from the outermost ancestor inwards
        backdrop = _over(_rgba(layer), backdrop)
    text = _over(_rgba(fg), backdrop)
    light, dark = sorted((_luminance(text), _luminance(backdrop)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_colour_contrast_meets_wcag_aa(browsed: Browsed) -> None:
    browsed.allow_console_errors = True  # the error state below is a real 422
    page = browsed.page
    open_widget(page)
    type_answer(page, "Acme Analytics")
    type_answer(page, "25")
    page.locator(".domains summary").click()
    page.locator("#s2g-input").fill("x" * 8001)
    page.locator("#s2g-input").press("Enter")
    wait_idle(page)
    expect(page.locator(".error")).to_be_visible()
    page.locator(".restart").click()  # the confirmation bar too
    expect(page.locator(".confirm")).to_be_visible()

    samples = page.evaluate(COLLECT_COLOURS)
    widget = [s for s in samples if s["where"] == "widget"]
    assert any(s["cls"] == "bubble" for s in widget)  # the user's own bubbles
    assert any(s["tag"] == "P" and "Sorry" in s["text"] for s in widget)  # the error
    assert len(widget) >= 15 and len(samples) - len(widget) >= 15
    failures = []
    for s in samples:
        large = s["size"] >= 24 or (s["size"] >= 18.66 and s["weight"] >= 700)
        ratio = contrast(s["fg"], s["bgs"])
        if ratio < (3.0 if large else 4.5):
            failures.append(f"{s['where']} {s['tag']}.{s['cls']} {s['text']!r}: {ratio:.2f}")
    assert failures == [], "\n".join(failures)

    # Non-text contrast (WCAG 1.4.11): the composer's border and the focus ring against the panel.
    textarea = page.locator("#s2g-input")
    border = textarea.evaluate("el => getComputedStyle(el).borderTopColor")
    assert contrast(border, ["rgb(255, 255, 255)"]) >= 3.0
    textarea.focus()
    page.keyboard.press("Shift+Tab")
    ring = page.evaluate(
        "() => { let el = document.activeElement; while (el.shadowRoot && el.shadowRoot.activeElement)"
        " el = el.shadowRoot.activeElement; return getComputedStyle(el).outlineColor; }"
    )
    assert contrast(ring, ["rgb(255, 255, 255)"]) >= 3.0
