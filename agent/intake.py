"""Deterministic reading of intake answers and of the facts a first narrative gives away.

No model is involved: intake answers are short and their shapes are few, and a wrong scope would
silently change every score, so parsing is strict and a bad answer is re-asked with a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from agent.state import INTAKE_FIELDS

UNSURE_PATTERNS = (
    r"\bnot sure\b",
    r"\bno idea\b",
    r"\bdon'?t know\b",
    r"\bdo not know\b",
    r"\bunsure\b",
    r"\bnot certain\b",
    r"\bno clue\b",
    r"\bhave to (?:ask|check)\b",
    r"^\s*(?:n/?a|tbd|unknown|\?+)\s*[.!]?\s*$",
)
# Fields where "I'm not sure" is an acceptable final answer (the stack only words questions).
UNSURE_OK = set(INTAKE_FIELDS) - {"company_name", "employees"}
STACK_FIELDS = ("cloud", "identity_provider", "email_suite", "code_host")

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}

# value -> words that name it; order matters where names overlap ("azure ad" is an IdP, not a cloud).
CLOUD_NAMES: dict[str, tuple[str, ...]] = {
    "aws": ("aws", "amazon web services", "amazon"),
    "gcp": ("gcp", "google cloud", "google cloud platform"),
    "azure": ("azure",),
}
IDP_NAMES: dict[str, tuple[str, ...]] = {
    "okta": ("okta",),
    "microsoft": (
        "entra",
        "azure ad",
        "azure active directory",
        "active directory",
        "microsoft",
        "office 365",
        "m365",
    ),
    "google": ("google workspace", "google", "g suite", "gsuite"),
}
EMAIL_NAMES: dict[str, tuple[str, ...]] = {
    "google": ("google workspace", "gmail", "g suite", "gsuite", "google"),
    "microsoft": ("microsoft 365", "office 365", "m365", "o365", "outlook", "exchange", "microsoft"),
}
CODE_NAMES: dict[str, tuple[str, ...]] = {
    "github": ("github",),
    "gitlab": ("gitlab",),
}
OTHER_CODE_HOSTS: tuple[str, ...] = ("bitbucket", "azure devops", "codecommit", "gitea", "self-hosted git")
OTHER_IDPS: tuple[str, ...] = ("jumpcloud", "onelogin", "auth0", "ping", "keycloak", "rippling", "duo")
OTHER_EMAIL: tuple[str, ...] = ("fastmail", "proton", "zoho")
OTHER_CLOUDS: tuple[str, ...] = (
    "hetzner",
    "digitalocean",
    "digital ocean",
    "linode",
    "ovh",
    "heroku",
    "vercel",
    "fly.io",
    "on-prem",
)


class IntakeError(ValueError):
    """The answer could not be read; the message is the hint shown with the re-asked question."""


@dataclass(frozen=True)
class Parsed:
    value: Any
    unsure: bool = False


def is_unsure(text: str) -> bool:
    lowered = text.lower().strip()
    return any(re.search(p, lowered) for p in UNSURE_PATTERNS)


def _has(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def parse_company_name(text: str) -> str:
    name = text.strip().strip(".!")
    name = re.sub(
        r"^(?:we(?:'re| are)|it'?s|it is|our company is|the company is|company is|i work at|this is|"
        r"we are called|we're called|called)\s+",
        "",
        name,
        flags=re.IGNORECASE,
    )
    name = name.strip().strip('"').strip()
    if not name or len(name) > 80 or is_unsure(name):
        raise IntakeError("Just the organization's name, for example 'Acme Analytics'.")
    return name


def parse_employees(text: str) -> int:
    lowered = text.lower().replace(",", "")
    numbers = [int(n) for n in re.findall(r"\d+", lowered)]
    if not numbers:
        words = [NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", lowered) if w in NUMBER_WORDS]
        if words:
            numbers = [sum(words)]
    if not numbers or numbers[0] <= 0:
        raise IntakeError("A headcount as a number, for example '25' or 'about 40 people'.")
    if len(numbers) >= 2 and re.search(r"\d+\s*(?:-|to|–)\s*\d+", lowered):
        return round((numbers[0] + numbers[1]) / 2)
    return numbers[0]


def parse_audit_type(text: str) -> str:
    lowered = text.lower()
    if re.search(r"\btype\s*(?:ii|2|two)\b|^\s*(?:ii|2)\s*$|\btype2\b", lowered):
        return "type2"
    if re.search(r"\btype\s*(?:i|1|one)\b|^\s*(?:i|1)\s*$|\btype1\b", lowered):
        return "type1"
    raise IntakeError(
        "'Type I' (design at one point in time) or 'Type II' (operating over a 3-12 month window)."
    )


def _quarter_start(quarter: int, year: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def find_date(text: str) -> date | None:
    """The first calendar date written in the text, or None. Month-only dates mean the 1st."""
    lowered = text.lower()
    patterns: list[tuple[str, Any]] = [
        (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", lambda m: date(int(m[1]), int(m[2]), int(m[3]))),
        (r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", lambda m: date(int(m[3]), int(m[1]), int(m[2]))),
        (
            rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
            lambda m: date(int(m[3]), MONTHS[m[1]], int(m[2])),
        ),
        (
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b",
            lambda m: date(int(m[3]), MONTHS[m[2]], int(m[1])),
        ),
        (rf"\b({_MONTH_RE})\.?,?\s+(\d{{4}})\b", lambda m: date(int(m[2]), MONTHS[m[1]], 1)),
        (r"\bq([1-4])\s*(\d{4})\b", lambda m: _quarter_start(int(m[1]), int(m[2]))),
        (r"\b(\d{4})-(\d{1,2})\b", lambda m: date(int(m[1]), int(m[2]), 1)),
    ]
    for pattern, build in patterns:
        match = re.search(pattern, lowered)
        if match:
            try:
                return build(match)  # type: ignore[no-any-return]
            except ValueError:
                continue
    return None


def parse_target_date(text: str, today: date) -> date:
    found = find_date(text)
    if found is None:
        raise IntakeError("A date, for example 'September 1, 2027', '2027-09-01' or 'Q3 2027'.")
    if found < today:
        raise IntakeError(
            f"That date is already past (today is {today.isoformat()}); when is the audit planned?"
        )
    return found


YES = (
    r"^(?:yes|yep|yeah|yup|ya|sure|correct|true|absolutely|definitely|indeed|we do|they do|it does|"
    r"of course|y)\b"
)
NO = r"^(?:no|nope|nah|not really|none|false|never|we don'?t|we do not|they don'?t|n)\b"


def parse_yes_no(text: str) -> bool:
    lowered = text.lower().strip().lstrip("-*> ").strip()
    if re.search(NO, lowered):
        return False
    if re.search(YES, lowered):
        return True
    if re.search(r"\b(?:no|not|don'?t|doesn'?t|never|none)\b", lowered):
        return False
    raise IntakeError("A 'yes' or 'no' is enough (add details if you like).")


def leading_yes_no(text: str) -> bool | None:
    """Yes/no only when the message opens with it (a long answer may mention 'no' anywhere)."""
    lowered = text.lower().strip().lstrip("-*> ").strip()
    if re.search(NO, lowered):
        return False
    if re.search(YES, lowered):
        return True
    return None


def match_names(lowered: str, table: dict[str, tuple[str, ...]]) -> str | None:
    for value, names in table.items():
        if any(_has(lowered, n) for n in names):
            return value
    return None


def parse_stack(field_name: str, text: str) -> str:
    lowered = text.lower()
    if field_name == "cloud":
        if any(_has(lowered, n) for n in ("azure ad", "azure active directory")) and "aws" not in lowered:
            lowered = lowered.replace("azure ad", "").replace("azure active directory", "")
        found = match_names(lowered, CLOUD_NAMES)
        others = OTHER_CLOUDS
    elif field_name == "identity_provider":
        found = match_names(lowered, IDP_NAMES)
        others = OTHER_IDPS
    elif field_name == "email_suite":
        found = match_names(lowered, EMAIL_NAMES)
        others = OTHER_EMAIL
    else:
        found = match_names(lowered, CODE_NAMES)
        others = OTHER_CODE_HOSTS
    if found:
        return found
    if any(_has(lowered, n) for n in others) or (text.strip() and len(text.split()) <= 4):
        return "other"
    raise IntakeError("Just the product name is enough, for example " + STACK_EXAMPLES[field_name] + ".")


STACK_EXAMPLES = {
    "cloud": "'AWS', 'GCP' or 'Azure'",
    "identity_provider": "'Okta', 'Google Workspace' or 'Entra ID'",
    "email_suite": "'Google Workspace' or 'Microsoft 365'",
    "code_host": "'GitHub' or 'GitLab'",
}


def parse_field(field_name: str, text: str, today: date) -> Parsed:
    """One intake answer -> its profile value. Raises IntakeError with a hint when unreadable."""
    if field_name in UNSURE_OK and is_unsure(text):
        return Parsed(None, unsure=True)
    if field_name == "company_name":
        return Parsed(parse_company_name(text))
    if field_name == "employees":
        return Parsed(parse_employees(text))
    if field_name == "audit_type":
        return Parsed(parse_audit_type(text))
    if field_name == "target_audit_date":
        return Parsed(parse_target_date(text, today))
    if field_name.endswith("_commitments"):
        return Parsed(parse_yes_no(text))
    if field_name in STACK_FIELDS:
        return Parsed(parse_stack(field_name, text))
    return Parsed(text.strip())
