"""Working days: Monday to Friday, less the Dutch public holidays.

A partner's signal must get a first attempt within a number of *working days*; a deadline
that lands on Easter Monday or Christmas would be missed by a team that is rightly at home.
The holidays come from the `holidays` package (kept by its maintainers, year by year, with
the moving feasts worked out), as the municipal collective agreement knows them: New
Year's Day, Easter, King's Day, Liberation Day in the years it is a day off nationally
(every fifth year), Ascension Day, Whitsun and Christmas. Good Friday is not a day off for
municipal staff, so it counts as a working day here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

_NOT_A_DAY_OFF = {"Good Friday"}


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[dt.date]:
    return frozenset(
        day
        for day, name in holidays.country_holidays("NL", years=year, language="en_US").items()
        if name not in _NOT_A_DAY_OFF
    )


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The day `days` working days after `day` (the day itself does not count)."""
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
