from __future__ import annotations

from datetime import date

import pytest

from agent.roadmap.dates import add_months, finish_date, next_workday, previous_workday, start_date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2028, 2, 29), -12, date(2027, 2, 28)),  # leap day has no twin a year earlier
        (date(2028, 2, 29), -3, date(2027, 11, 29)),
        (date(2028, 5, 31), -3, date(2028, 2, 29)),  # window opening on a leap day
        (date(2027, 5, 31), -3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 3, 15), -14, date(2026, 1, 15)),  # across a year boundary
        (date(2027, 12, 15), 1, date(2028, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_short_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_workday_helpers_skip_weekends() -> None:
    friday, saturday, monday = date(2027, 1, 8), date(2027, 1, 9), date(2027, 1, 11)
    assert next_workday(saturday) == monday
    assert previous_workday(saturday) == friday
    assert finish_date(friday, 1) == friday
    assert finish_date(friday, 2) == monday
    assert finish_date(saturday, 1) == monday
    assert finish_date(monday, 5) == date(2027, 1, 15)
    assert start_date(monday, 2) == friday
    assert start_date(date(2027, 1, 15), 5) == monday


def test_workdays_across_a_leap_day() -> None:
    # 2028-02-28 is a Monday; the 29th exists in 2028, so three workdays end on March 1st.
    assert finish_date(date(2028, 2, 28), 3) == date(2028, 3, 1)
    assert start_date(date(2028, 3, 1), 3) == date(2028, 2, 28)
