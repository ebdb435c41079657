"""Calendar arithmetic for the roadmap. Pure functions of their arguments: `today` is always passed in."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Shift by whole months, clamping to the month's last day (2028-02-29 minus 12 months is 2027-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def is_workday(day: date) -> bool:
    return day.weekday() < 5


def next_workday(day: date) -> date:
    """The day itself when it is a workday, else the following Monday."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def previous_workday(day: date) -> date:
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def finish_date(start: date, workdays: int) -> date:
    """Last workday of a task of `workdays` days that starts on `start` (counted inclusively)."""
    day = next_workday(start)
    remaining = max(workdays, 1) - 1
    while remaining:
        day += timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def start_date(finish: date, workdays: int) -> date:
    """First workday of a task of `workdays` days that must end on `finish`."""
    day = previous_workday(finish)
    remaining = max(workdays, 1) - 1
    while remaining:
        day -= timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 30.44
