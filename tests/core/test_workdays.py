"""Working days skip weekends and the Dutch public holidays, across the year's end."""

from __future__ import annotations

import datetime as dt

import pytest

from buurtkracht.core.workdays import add_working_days, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 12, 7), 5, D(2026, 12, 14)),  # an ordinary week
        (D(2026, 12, 24), 1, D(2026, 12, 28)),  # Christmas on Friday, then the weekend
        (D(2026, 12, 31), 1, D(2027, 1, 4)),  # New Year's Eve: 1 January is a Friday off
        (D(2026, 4, 2), 1, D(2026, 4, 3)),  # Good Friday is a working day for municipal staff
        (D(2026, 4, 2), 2, D(2026, 4, 7)),  # Easter Monday is not
        (D(2026, 4, 24), 1, D(2026, 4, 28)),  # King's Day, Monday 27 April
        (D(2026, 5, 13), 1, D(2026, 5, 15)),  # Ascension Day
        (D(2026, 5, 22), 1, D(2026, 5, 26)),  # Whit Monday
        (D(2025, 5, 2), 1, D(2025, 5, 6)),  # Liberation Day in a fifth year is off
        (D(2026, 5, 4), 1, D(2026, 5, 5)),  # ...and in the other years it is not
        (D(2028, 2, 28), 1, D(2028, 2, 29)),  # leap day
        (D(2026, 12, 12), 1, D(2026, 12, 14)),  # counted from a Saturday
        (D(2026, 12, 7), 0, D(2026, 12, 7)),
    ],
)
def test_working_days_skip_weekends_and_public_holidays(
    start: dt.date, days: int, expected: dt.date
) -> None:
    assert add_working_days(start, days) == expected


def test_a_public_holiday_on_a_weekday_is_no_working_day() -> None:
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 26))  # a Saturday anyway
    assert is_working_day(D(2026, 12, 28))
