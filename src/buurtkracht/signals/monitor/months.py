"""Months of the monitor: month arithmetic, the first month with data, a range of months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Min

from buurtkracht.signals.models import (
    MonitorCount,
    Report,
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every first of the month from start's month to end's month, both included."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(first, last + 1)]


def months_back(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def first_month_with_data() -> dt.date | None:
    """The first month of which the municipality has any signal: a report still kept, or
    the counts the retention purge left behind. None before the first signal came in.

    Months before it are not months without signals but months before there was any data:
    the monitor leaves them out instead of showing them as zeros. This is the first month
    of the whole municipality, whatever team or neighbourhood is chosen: after it, a team
    that had no signal in a month really had none, and shows 0."""
    firsts = [
        Report.objects.aggregate(first=Min("month"))["first"],
        MonitorCount.objects.aggregate(first=Min("month"))["first"],
    ]
    known = [month_start(first) for first in firsts if first is not None]
    return min(known) if known else None


def months_with_data(months: Sequence[dt.date], first: dt.date | None) -> list[dt.date]:
    """The months of the period from the first month with data on."""
    if first is None:
        return []
    return [month for month in months if month >= first]


@dataclass(frozen=True)
class MonthRange:
    """From the month of `start` to the month of `end`, both included."""

    start: dt.date
    end: dt.date

    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)
