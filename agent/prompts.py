"""Model prompts are data: prompts/<name>.md with named `{slot}` placeholders, filled here and nowhere else.

`{{` and `}}` stand for literal braces. Rendering refuses a missing or an unexpected slot, so a template and
its caller cannot drift apart silently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import prompts as _prompts_package

PROMPTS_DIR = Path(_prompts_package.__file__).resolve().parent
_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z_][a-z0-9_]*)\}")


class PromptSlotError(KeyError):
    """A template was rendered with slots that differ from the ones it declares."""


@lru_cache(maxsize=32)
def template(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")


def slots(name: str) -> frozenset[str]:
    return frozenset(m.group(1) for m in _TOKEN.finditer(template(name)) if m.group(1))


def render(name: str, **values: object) -> str:
    wanted = slots(name)
    missing = wanted - values.keys()
    extra = values.keys() - wanted
    if missing or extra:
        raise PromptSlotError(
            f"prompt {name!r}: missing slots {sorted(missing)}, unexpected slots {sorted(extra)}"
        )

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return str(values[match.group(1)])

    # One pass over the template: slot values are inserted as-is and never re-scanned, so braces in user
    # text cannot be mistaken for placeholders.
    return _TOKEN.sub(fill, template(name))
