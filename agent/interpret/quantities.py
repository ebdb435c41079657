"""Durations, frequencies, dates and protocol versions in plain English, compared with a Threshold.

Everything here works on one normalized (lower-case) clause and returns what it could read; the
caller decides which requirement a reading is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from agent.kb.models import Threshold

# How many days one period of each frequency lasts; smaller is more often.
PERIOD_DAYS: dict[str, float] = {
    "continuous": 0,
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "semiannual": 183,
    "annual": 366,
}
_UNIT_DAYS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1,
    "business day": 1.4,
    "working day": 1.4,
    "week": 7,
    "fortnight": 14,
    "month": 30.4,
    "quarter": 91,
    "year": 365,
}
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a": 1, "an": 1, "a single": 1, "one single": 1, "a couple of": 2, "a couple": 2, "couple of": 2,
    "a few": 3, "few": 3, "several": 4, "half a": 0.5, "a half": 0.5, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
# "forty-something", "30-odd", "sixty-ish", "20+": a round number and a bit more than it.
_APPROX = r"(?:[- ]?(?:something|odd|ish|some)|\+|[- ]plus)"
_WORD_NUMBER = (
    rf"(?:{_TENS}[- ](?:one|two|three|four|five|six|seven|eight|nine)|{_TENS}{_APPROX}|a couple of|a couple|couple of|a few|"
    r"several|half a|a dozen|dozen|a single|one single|"
    + "|".join(sorted((k for k in _SMALL if " " not in k), key=len, reverse=True))
    + ")"
)
NUMBER = rf"(?:\d+(?:\.\d+)?(?:{_APPROX})?|{_WORD_NUMBER})"
_UNIT = r"(?:business days?|working days?|seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?|months?|quarters?|years?|yrs?)"
_RANGE = rf"(?P<n1>{NUMBER})(?:\s*(?:-|–|to|or)\s*(?P<n2>{NUMBER}))?[\s-]*(?P<unit>{_UNIT})\b(?P<half> and a half)?"
_DURATION = re.compile(rf"\b{_RANGE}")
_AGO = re.compile(rf"\b(?P<over>over |more than |about |almost |nearly |around |roughly )?{_RANGE}\s+ago\b")
_YEAR = re.compile(r"\b(?:in|since|back in|during|from|of|around|circa)?\s*(?P<year>(?:19|20)\d\d)\b")
_MONTH_REF = re.compile(
    r"\b(?P<last>last |this |in |since |back in |on |during )?(?P<month>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?,?)?(?:\s+(?P<year>(?:19|20)\d\d))?\b"
)
_ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)(?:-(?P<d>\d\d))?\b")
_VERSION = re.compile(
    r"\b(?P<proto>tls|ssl)\s*v?(?P<ver>\d(?:\.\d)?)(?P<more>(?:\s*(?:,|/|and|&|or)\s*v?\d\.\d)*)"
)
_DISABLED = re.compile(
    r"\b(disabled|turned off|switched off|removed|blocked|rejected|refused|not allowed|no longer|deprecated|dropped|not supported|unsupported)\b"
)
_STILL_ON = re.compile(
    r"\b(still (enabled|on|allowed|supported|accepted|works|open)|also (allowed|accepted|supported))\b"
)


@dataclass(frozen=True)
class Quantity:
    kind: str  # duration | every | frequency | age | version | forever | immediate
    days: float | None = None
    frequency: str | None = None
    version: float | None = None
    text: str = ""


def to_number(word: str) -> float:
    word = word.strip().replace("–", "-")
    approx = re.fullmatch(rf"(.+?){_APPROX}", word)
    if approx:
        # Halfway into the next ten: "forty-something days" is read as 45.
        return to_number(approx.group(1)) + 5
    try:
        return float(word)
    except ValueError:
        pass
    if re.fullmatch(rf"{_TENS}[- ]\w+", word):
        tens, ones = re.split(r"[- ]", word, maxsplit=1)
        return _SMALL[tens] + _SMALL.get(ones, 0)
    return float(_SMALL.get(word, 1))


def _unit_days(unit: str) -> float:
    unit = unit.rstrip("s") if not unit.endswith("days") else unit[:-1]
    unit = {"min": "minute", "hr": "hour", "yr": "year"}.get(unit, unit)
    return _UNIT_DAYS.get(unit, 1)


_FREQUENCY_WORDS: list[tuple[str, str]] = [
    (
        r"\b(continuous(ly)?|real[- ]?time|constantly|always[- ]on|24/7|every (minute|hour)|on every (push|commit|pr|build|deploy)|each (push|commit|build|deploy))\b",
        "continuous",
    ),
    (r"\b(daily|nightly|every (day|night|morning)|each (day|night)|once a day|per day|hourly)\b", "daily"),
    (r"\b(weekly|every week|each week|once a week|per week)\b", "weekly"),
    (r"\b(bi-?weekly|fortnightly|every (other|second) week|every two weeks)\b", "weekly"),
    (r"\b(monthly|every month|each month|once a month|per month)\b", "monthly"),
    (
        r"\b(quarterly|every quarter|each quarter|once a quarter|per quarter|four times a year|every three months|every 3 months)\b",
        "quarterly",
    ),
    (
        r"\b(semi-?annual(ly)?|bi-?annual(ly)?|twice a year|every six months|every 6 months|every half[- ]year)\b",
        "semiannual",
    ),
    (
        r"\b(annual(ly)?|yearly|once a year|every year|each year|per year|once per year|every twelve months|every 12 months)\b",
        "annual",
    ),
]
_IRREGULAR = re.compile(
    r"\b(ad[- ]hoc|when we remember|whenever (we|someone) (remember|get|have)|sporadic(ally)?|occasionally|"
    r"irregular(ly)?|now and then|once in a while|from time to time|when we get (around|to)|rarely|"
    r"every (two|2|few|couple of) years|once every (two|2|few) years)\b"
)
_IMMEDIATE = re.compile(
    r"\b(same[- ]day|immediately|instantly|right away|at once|within (an|the) hour|within (minutes|hours)|"
    r"in (minutes|hours)|a few hours|couple of hours|on (their|the) last day|before (they|he|she) leaves?|"
    r"automatically|automated|real[- ]?time|end of (the )?day|by eod|that day|the day (they|someone) leave)"
)
# "Within the week", "by the end of the month": the whole named period is the delay.
_WITHIN_PERIOD = re.compile(
    r"\b(?:within|inside|by the end of|before the end of|by end of|end of) (?:the|that|a|one) "
    r"(?P<unit>week|fortnight|month|quarter)\b"
)
_NEXT_DAY = re.compile(
    r"\b(next (business |working )?day|overnight|the next morning|next morning|within a day)\b"
)
_FOREVER = re.compile(
    r"\b(forever|indefinitely|never (delete|expire|purge|rotate out|get deleted)|no expiry|no expiration|"
    r"don'?t delete|permanent(ly)?)\b"
)
_RECENT = re.compile(
    r"\b(this (year|quarter|month|spring|summer|fall|autumn|winter)|last (month|quarter|week)|recently|"
    r"a (few|couple of) (weeks|months) ago|earlier this year|just (did|finished|completed|ran))\b"
)
_WITHIN_PAST = re.compile(
    rf"\b(?:in|within|during|over) the (?:last|past) (?:(?:{NUMBER}\s+)?{_UNIT}|year)\b"
)
_LAST_YEAR = re.compile(r"\blast year\b")
_ADVERB_ONE_DAY = re.compile(r"(?:one|some) day\b(?!s)")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:within|in|after|for|takes?|took|than|per|every|each|about|under|over)\s*$"
)
_SEASON = re.compile(
    r"\b(?P<which>last|this|in the|in|during the|over the)\s+(?P<season>spring|summer|fall|autumn|winter)\b"
)
_SEASON_MONTH = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}
_LONG_AGO = re.compile(
    r"\b(years ago|a long time ago|ages ago|a while (back|ago)|over a year ago|more than a year ago|"
    r"(a )?couple( of)? years ago|before covid|when we (started|founded) the company)\b"
)


def find_quantities(clause: str, today: date) -> list[Quantity]:
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def take(match: re.Match[str]) -> bool:
        span = match.span()
        if any(s < span[1] and span[0] < e for s, e in taken):
            return False
        taken.append(span)
        return True

    for match in _VERSION.finditer(clause):
        if not take(match):
            continue
        versions = [float(match.group("ver"))] + [
            float(v) for v in re.findall(r"\d\.\d", match.group("more") or "")
        ]
        if match.group("proto") == "ssl":
            versions = [v - 3 for v in versions]  # SSLv3 is older than TLS 1.0
        tail = clause[match.end() : match.end() + 40]
        head = clause[max(0, match.start() - 30) : match.start()]
        disabled = bool(_DISABLED.search(tail) or _DISABLED.search(head)) and not _STILL_ON.search(tail)
        minimum = bool(
            re.search(r"\b(minimum|min|or (higher|newer|above|later)|\+|and (up|above))", tail + head)
        )
        for version in versions:
            found.append(Quantity("version", version=version, text=match.group(0)))
        if disabled:
            # "TLS 1.0 and 1.1 disabled" says the floor is above them.
            found[-len(versions) :] = [
                Quantity("version_off", version=v, text=match.group(0)) for v in versions
            ]
        elif minimum:
            found[-len(versions) :] = [
                Quantity("version_min", version=v, text=match.group(0)) for v in versions
            ]

    for match in _AGO.finditer(clause):
        if take(match):
            days = _range_days(match, prefer="max") * (
                1.2 if match.group("over") in ("over ", "more than ") else 1
            )
            found.append(Quantity("age", days=days, text=match.group(0)))
    for match in _ISO_DATE.finditer(clause):
        if take(match):
            when = date(int(match.group("y")), int(match.group("m")), int(match.group("d") or 15))
            found.append(Quantity("age", days=(today - when).days, text=match.group(0)))
    for match in _MONTH_REF.finditer(clause):
        month_word = match.group("month")
        # "may" is mostly a verb; short forms are too ambiguous without a date shape around them.
        ambiguous = month_word in (
            "may",
            "mar",
            "jun",
            "jan",
            "dec",
            "oct",
            "nov",
            "aug",
            "sep",
            "apr",
            "feb",
            "jul",
        )
        if ambiguous and not (match.group("last") or match.group("year")):
            continue
        if take(match):
            found.append(Quantity("age", days=_month_age(match, today), text=match.group(0)))
    for match in _YEAR.finditer(clause):
        if take(match):
            year = int(match.group("year"))
            when = today if year >= today.year else date(year, 7, 1)
            found.append(Quantity("age", days=max(0, (today - when).days), text=match.group(0)))
    for match in _WITHIN_PAST.finditer(clause):
        if take(match):
            inner = re.search(_RANGE, match.group(0))
            days = _range_days(inner, prefer="max") if inner else 365.0
            found.append(Quantity("age", days=days, text=match.group(0)))
    for match in _SEASON.finditer(clause):
        if take(match):
            month = _SEASON_MONTH[match.group("season")]
            year = today.year if month <= today.month else today.year - 1
            if match.group("which") == "last" and month <= today.month and today.month - month < 3:
                year -= 1
            found.append(
                Quantity("age", days=max(0, (today - date(year, month, 15)).days), text=match.group(0))
            )
    for pattern, days in ((_RECENT, 60.0), (_LAST_YEAR, 300.0), (_LONG_AGO, 730.0)):
        for match in pattern.finditer(clause):
            if take(match):
                found.append(Quantity("age", days=days, text=match.group(0)))

    for frequency_pattern, frequency in _FREQUENCY_WORDS:
        for match in re.finditer(frequency_pattern, clause):
            if take(match):
                found.append(Quantity("frequency", frequency=frequency, text=match.group(0)))
    for match in _IRREGULAR.finditer(clause):
        if take(match):
            found.append(Quantity("frequency", frequency="irregular", text=match.group(0)))
    for match in re.finditer(
        rf"\b(?:every|each|once every|once per|once a)\s+(?:{NUMBER}\s+)?{_UNIT}\b", clause
    ):
        if take(match):
            inner = re.search(_RANGE, match.group(0))
            days = _range_days(inner, prefer="max") if inner else _unit_days(match.group(0).split()[-1])
            found.append(Quantity("every", days=days, text=match.group(0)))

    for pattern, kind, days in (
        (_FOREVER, "forever", 100000.0),
        (_IMMEDIATE, "immediate", 0.2),
        (_NEXT_DAY, "immediate", 1.0),
    ):
        for match in pattern.finditer(clause):
            if take(match):
                found.append(Quantity(kind, days=days, text=match.group(0)))
    for match in _WITHIN_PERIOD.finditer(clause):
        if take(match):
            found.append(Quantity("duration", days=_unit_days(match.group("unit")), text=match.group(0)))
    for match in _DURATION.finditer(clause):
        if _ADVERB_ONE_DAY.match(clause, match.start()) and not _PREPOSITION_BEFORE.search(
            clause[: match.start()]
        ):
            continue  # "it'd be great to have a SIEM one day" is a wish, not a duration
        if take(match):
            prefer = "max"
            found.append(Quantity("duration", days=_range_days(match, prefer=prefer), text=match.group(0)))
    return found


def _range_days(match: re.Match[str], prefer: str) -> float:
    unit = _unit_days(match.group("unit"))
    first = to_number(match.group("n1"))
    second = to_number(match.group("n2")) if match.group("n2") else first
    value = max(first, second) if prefer == "max" else min(first, second)
    if match.groupdict().get("half"):
        value += 0.5
    return value * unit


def _month_age(match: re.Match[str], today: date) -> float:
    month = _MONTHS[match.group("month")]
    if match.group("year"):
        when = date(int(match.group("year")), month, 15)
    else:
        year = today.year if month <= today.month else today.year - 1
        when = date(year, month, 15 if month != today.month or today.day >= 15 else 1)
    return max(0, (today - when).days)


def compatible(threshold: Threshold, quantity: Quantity) -> bool:
    kind = threshold.kind
    if kind == "min_version":
        return quantity.kind.startswith("version")
    if kind == "min_frequency":
        return quantity.kind in ("frequency", "every", "age")
    if kind == "max_age":
        return quantity.kind in ("age", "frequency", "every")
    if kind == "max_delay":
        return quantity.kind in ("duration", "immediate")
    if kind == "min_retention":
        return quantity.kind in ("duration", "forever")
    return False


def satisfies(threshold: Threshold, quantities: list[Quantity], tiered: bool = False) -> bool | None:
    """True/False when the quantities say whether the threshold is met, None when they say nothing."""
    usable = [q for q in quantities if compatible(threshold, q)]
    if not usable:
        return None
    kind = threshold.kind
    if kind == "min_version":
        required = float(threshold.version or "1.2")
        enabled = [q.version for q in usable if q.kind == "version" and q.version is not None]
        floors = [q.version for q in usable if q.kind == "version_min" and q.version is not None]
        off = [q.version for q in usable if q.kind == "version_off" and q.version is not None]
        if enabled:
            return min(enabled) >= required
        if floors:
            return min(floors) >= required
        if off:
            return max(off) + 0.1 >= required
        return None
    if kind == "min_frequency":
        limit = PERIOD_DAYS[threshold.frequency or "quarterly"]
        cadences = [q for q in usable if q.kind != "age"]
        if cadences:
            return all(_period(q) <= limit + 1 for q in cadences)
        # Only a date: the last one must fall inside one period, or the cadence is not being kept.
        return all((q.days or 0) <= limit + 1 for q in usable)
    if kind == "max_age":
        limit = float(threshold.days or 365)
        return all((_period(q) if q.kind != "age" else q.days or 0) <= limit + 1 for q in usable)
    if kind == "max_delay":
        limit = float(threshold.days or 1)
        return all((q.days or 0) <= limit for q in usable)
    if kind == "min_retention":
        limit = float(threshold.days or 365)
        if tiered:
            # "90 days hot, then archived for 2 years": the longest tier is what is kept.
            return max(q.days or 0 for q in usable) >= limit - 1
        return all((q.days or 0) >= limit - 1 for q in usable)
    return None


def _period(quantity: Quantity) -> float:
    if quantity.kind == "every":
        return quantity.days or 0
    if quantity.frequency == "irregular":
        return 10_000
    return PERIOD_DAYS.get(quantity.frequency or "", 10_000)
