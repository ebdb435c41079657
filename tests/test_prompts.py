"""Every prompt template declares exactly the slots its caller fills, and rendering refuses a mismatch."""

from __future__ import annotations

import re

import pytest

from agent.interpret.claude_context import SLOTS
from agent.prompts import PROMPTS_DIR, PromptSlotError, render, slots

_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)\}(?!\})")


def _placeholders(name: str) -> set[str]:
    text = (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")
    return set(_PLACEHOLDER.findall(text))


def test_every_markdown_prompt_has_a_declared_caller():
    assert {p.stem for p in PROMPTS_DIR.glob("*.md")} == set(SLOTS)


@pytest.mark.parametrize("name", sorted(SLOTS))
def test_template_slots_match_what_the_caller_passes(name):
    assert _placeholders(name) == set(SLOTS[name])
    assert slots(name) == SLOTS[name]


@pytest.mark.parametrize("name", sorted(SLOTS))
def test_rendering_with_the_declared_slots_leaves_no_placeholder(name):
    text = render(name, **{slot: f"<{slot} value>" for slot in SLOTS[name]})
    assert not _placeholders_in(text)
    for slot in SLOTS[name]:
        assert f"<{slot} value>" in text


def _placeholders_in(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@pytest.mark.parametrize("name", sorted(n for n, s in SLOTS.items() if s))
def test_rendering_with_a_missing_slot_raises(name):
    values = {slot: "x" for slot in SLOTS[name]}
    values.pop(sorted(values)[0])
    with pytest.raises(PromptSlotError, match="missing slots"):
        render(name, **values)


@pytest.mark.parametrize("name", sorted(SLOTS))
def test_rendering_with_an_unexpected_slot_raises(name):
    values = {slot: "x" for slot in SLOTS[name]}
    with pytest.raises(PromptSlotError, match="unexpected slots"):
        render(name, **values, not_a_slot="x")


def test_slot_values_are_inserted_verbatim_and_never_rescanned():
    values = {slot: "x" for slot in SLOTS["interpret_turn"]}
    values["user_reply"] = "{today} {{braces}} {not_a_slot}"
    text = render("interpret_turn", **values)
    assert "{today} {{braces}} {not_a_slot}" in text
