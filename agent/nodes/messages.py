"""The agent's wording: templates from prompts/messages.yaml with named slots, and question tailoring."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from agent.kb import KnowledgeBase
from agent.kb.models import Control

# Which stack facts a question is about, by words in the question (so "in Okta" lands where it helps).
STACK_TRIGGERS: dict[str, tuple[str, ...]] = {
    "identity_provider": ("sign in", "signs in", "sso", "single sign-on", "second factor", "admin accounts"),
    "cloud": ("encrypted at rest", "backed up", "cloud account", "cloud audit logs", "own network"),
    "code_host": ("pull request", "code review", "branch", "merge"),
    "email_suite": ("email", "phishing"),
}


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    text = resources.files("prompts").joinpath("messages.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def render(name: str, **slots: Any) -> str:
    template = templates()[name]
    return str(template).format(**slots).strip()


def intake_question(field_name: str, profile: dict[str, Any]) -> str:
    company = profile.get("company_name") or "your organization"
    return str(templates()["intake_questions"][field_name]).format(company=company).strip()


def intake_help(field_name: str) -> str:
    return str(templates()["intake_help"][field_name]).strip()


def stack_name(field_name: str, value: str | None) -> str | None:
    if not value or value == "other":
        return None
    names: dict[str, str] = templates()["stack_names"].get(field_name, {})
    return names.get(value, value)


def tailor(text: str, profile: dict[str, Any]) -> str:
    """Name the person's own tools in a question, lightly: generic phrases first, else a short aside."""
    phrases: dict[str, dict[str, str]] = templates()["stack_phrases"]
    named: list[str] = []
    for field_name, table in phrases.items():
        name = stack_name(field_name, profile.get(field_name))
        if not name:
            continue
        replaced = False
        for phrase, replacement in table.items():
            pattern = re.compile(re.escape(phrase), re.IGNORECASE)
            if pattern.search(text):
                text = pattern.sub(replacement.format(name=name), text, count=1)
                replaced = True
                break
        lowered = text.lower()
        triggered = any(re.search(rf"\b{re.escape(t)}\b", lowered) for t in STACK_TRIGGERS[field_name])
        if not replaced and triggered and name not in text:
            named.append(name)
    if named:
        text = f"{text} _(Thinking of {', '.join(dict.fromkeys(named))}.)_"
    return text


def control_question(kb: KnowledgeBase, control_ids: list[str], profile: dict[str, Any]) -> str:
    controls = [kb.control(cid) for cid in control_ids]
    if len(controls) == 1:
        return tailor(controls[0].question.strip(), profile)
    if len(controls) <= 3:
        lines = [f"A few related things ({join_names([_lower_first(c.title) for c in controls])}):"]
    else:
        lines = ["A few related things:"]
    lines += [f"{i}. {tailor(c.question.strip(), profile)}" for i, c in enumerate(controls, 1)]
    return "\n".join(lines)


def follow_up_question(kb: KnowledgeBase, control_ids: list[str], profile: dict[str, Any]) -> str:
    controls: list[Control] = [kb.control(cid) for cid in control_ids]
    if len(controls) == 1:
        return render("follow_up", text=tailor(controls[0].follow_up.strip(), profile))
    return "\n".join(
        render("follow_up_named", title=c.title, text=tailor(c.follow_up.strip(), profile)) for c in controls
    )


def _lower_first(title: str) -> str:
    first_word = title.split(" ", 1)[0]
    if any(ch.isupper() for ch in first_word[1:]):
        return title  # an acronym ("MFA enforced ...") keeps its capitals
    return title[:1].lower() + title[1:]


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def status_counts(statuses: list[str]) -> str:
    order = ("implemented", "partial", "gap", "not_applicable", "unknown")
    counts = {s: statuses.count(s) for s in order if statuses.count(s)}
    return ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items()) or "nothing scored"
