"""Durations, cadences, dates and versions in words and digits, against the KB's thresholds."""

from __future__ import annotations

from datetime import date

import pytest

from agent.interpret.quantities import find_quantities, satisfies
from agent.kb.models import Threshold

TODAY = date(2026, 11, 28)
RETENTION = Threshold(kind="min_retention", days=365)
OFFBOARDING = Threshold(kind="max_delay", days=1)
VULN_SLA = Threshold(kind="max_delay", days=30)
QUARTERLY = Threshold(kind="min_frequency", frequency="quarterly")
WITHIN_YEAR = Threshold(kind="max_age", days=365)
TLS = Threshold(kind="min_version", version="1.2")

CASES = [
    (RETENTION, "logs are kept for 90 days", False),
    (RETENTION, "we keep ninety days of logs", False),
    (RETENTION, "six months of retention", False),
    (RETENTION, "retained for a year", True),
    (RETENTION, "13 months in glacier", True),
    (RETENTION, "a year and a half", True),
    (RETENTION, "we keep them forever", True),
    (RETENTION, "400-day retention lock", True),
    (OFFBOARDING, "it takes 3 days", False),
    (OFFBOARDING, "a couple of days after they leave", False),
    (OFFBOARDING, "same day", True),
    (OFFBOARDING, "within hours", True),
    (OFFBOARDING, "within 24 hours", True),
    (OFFBOARDING, "48 hours later", False),
    (OFFBOARDING, "on their last day", True),
    (VULN_SLA, "criticals are fixed within 45 days", False),
    (VULN_SLA, "within 14 days", True),
    (VULN_SLA, "within a week", True),
    (QUARTERLY, "annually", False),
    (QUARTERLY, "once a year", False),
    (QUARTERLY, "every quarter", True),
    (QUARTERLY, "quarterly", True),
    (QUARTERLY, "monthly", True),
    (QUARTERLY, "weekly", True),
    (QUARTERLY, "every 6 months", False),
    (QUARTERLY, "ad hoc, when we remember", False),
    (WITHIN_YEAR, "two years ago", False),
    (WITHIN_YEAR, "in 2023", False),
    (WITHIN_YEAR, "18 months ago", False),
    (WITHIN_YEAR, "last one in March", True),
    (WITHIN_YEAR, "we did it this February", True),
    (WITHIN_YEAR, "reviewed in the spring", True),
    (WITHIN_YEAR, "six months ago", True),
    (WITHIN_YEAR, "2025-02-01", False),
    (WITHIN_YEAR, "in the last 12 months", True),
    (TLS, "tls 1.0 still enabled", False),
    (TLS, "tls 1.2 minimum", True),
    (TLS, "tls 1.2 and 1.3 only, tls 1.0 and 1.1 disabled", True),
    (TLS, "tls 1.1", False),
    # Loose ways of saying a period: the whole named period, "a bit over" a round number.
    (OFFBOARDING, "we normally finish it by the end of the week", False),
    (OFFBOARDING, "inside a fortnight", False),
    (VULN_SLA, "sixty-odd days on the big ones", False),
    (VULN_SLA, "twenty-ish days", True),
    (VULN_SLA, "thirty-plus days", False),
    (VULN_SLA, "25+ days", True),
    (RETENTION, "half a year of history", False),
    (RETENTION, "within the month it rolls off", False),
]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("done by the end of the week", 7),
        ("within the month", 30.4),
        ("a fortnight", 14),
        ("fifty-something days", 55),
        ("30-odd days", 35),
        ("half a year", 182.5),
    ],
)
def test_loose_durations_read_as_days(text: str, days: float) -> None:
    found = [q for q in find_quantities(text, TODAY) if q.kind == "duration"]
    assert [round(q.days or 0, 1) for q in found] == [days]


@pytest.mark.parametrize(("threshold", "text", "expected"), CASES)
def test_threshold(threshold: Threshold, text: str, expected: bool) -> None:
    assert satisfies(threshold, find_quantities(text.lower(), TODAY)) is expected


@pytest.mark.parametrize("text", ["we use okta", "mfa everywhere", "may we ask", "the policy"])
def test_no_quantity_says_nothing(text: str) -> None:
    assert satisfies(RETENTION, find_quantities(text, TODAY)) is None
    assert satisfies(WITHIN_YEAR, find_quantities(text, TODAY)) is None
