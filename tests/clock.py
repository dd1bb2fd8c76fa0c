"""The awkward instants at which the demo and the time-sensitive tests must still work.

Code, demo and tests never assume the hour, the date or the time zone (DESIGN.md, "Any
hour, any date"). These are the moments where such an assumption breaks: just after
midnight, just before opening hours, just before midnight, a leap day, the turn of the
year and both nights of the daylight-saving switch. All are wall-clock times in
Europe/Amsterdam, where a worker's and a resident's day is counted.

Three ways to use them (see docs/time.md):
- `bin/test --clock=NAME` (or an ISO wall-clock time) runs the whole session at that
  instant, with the clock ticking on from there;
- `@at_each_awkward_instant` runs one test at every instant;
- `clocked_command(NAME)` starts a `manage.py` subprocess at that instant.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
import time_machine

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# name -> wall-clock time in Amsterdam. Dates lie after today's real date on purpose: a
# test that hard-codes "a date in the past" fails here before it fails in production.
INSTANTS: dict[str, str] = {
    "after-midnight": "2027-06-15T00:05",
    "before-opening": "2027-06-15T09:59",
    "before-midnight": "2027-06-15T23:59",
    "leap-day": "2028-02-29T12:00",
    "new-years-eve": "2027-12-31T23:59",
    # Clocks go from 02:00 to 03:00: 01:59 ticks into the hour that does not exist.
    "spring-forward": "2027-03-28T01:59",
    # Clocks go from 03:00 back to 02:00: 02:30 happens twice; this is the first.
    "fall-back": "2027-10-31T02:30",
}

F = TypeVar("F", bound=Callable[..., Any])


def instant(name_or_iso: str) -> dt.datetime:
    """An aware moment from an instant's name or from an ISO wall-clock time in Amsterdam."""
    text = INSTANTS.get(name_or_iso, name_or_iso)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        names = ", ".join(INSTANTS)
        raise ValueError(
            f"Unknown clock {name_or_iso!r}: give one of {names} or an ISO time such as "
            "2027-06-15T09:59 (Amsterdam wall clock)."
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMSTERDAM)
    return moment


def at_each_awkward_instant(test: F) -> F:
    """Run `test` once at every instant in INSTANTS, the clock ticking on from there.

    The test receives the travelled moment as `clock_instant`.
    """

    @pytest.mark.parametrize("clock_instant", list(INSTANTS), ids=list(INSTANTS))
    @functools.wraps(test)  # pytest reads the test's own parameters (fixtures) through it
    def wrapper(*args: Any, clock_instant: str, **kwargs: Any) -> Any:
        with time_machine.travel(instant(clock_instant), tick=True):
            return test(*args, clock_instant=instant(clock_instant), **kwargs)

    return wrapper


def clocked_command(clock: str, *arguments: str) -> list[str]:
    """The argv of a `manage.py` subprocess that starts at `clock` and ticks on."""
    return [sys.executable, "-m", "tests.clocked_manage", instant(clock).isoformat(), *arguments]
