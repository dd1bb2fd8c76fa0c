"""Periods counted in months, as the law counts them.

A period of one month that starts on a day ends on the same day of the next month; where
that month has no such day (31 January, 29 February in a common year), on its last day
(EU Regulation 1182/71 art. 3, which the AVG's "within one month" follows). The start is
an Amsterdam date (docs/time.md): a request made at 23:59 on 31 January counts from
31 January, one made at 00:05 on 1 February from 1 February.
"""

from __future__ import annotations

import calendar
import datetime as dt


def months_after(day: dt.date, months: int = 1) -> dt.date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))
