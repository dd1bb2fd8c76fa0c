"""Moments for demo events: on a given day at a plausible hour, but never after now.

The demo records only what has already happened, whatever the hour it runs at. A contact
"at 10:00 today" does not exist yet when the demo is generated at 03:20, and the services
rightly refuse a moment in the future; so every demo event that is placed on a day at an
hour goes through `moment_on`, which moves a moment still to come back to now.
Dates are counted back from today in Europe/Amsterdam (the demo's and the workers' day).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def moment_on(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`day` at `hour:minute` Amsterdam time, or now if that moment is still to come."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return min(moment, timezone.now())


def days_ago(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """The moment `days` days before today at `hour:minute`, never after now."""
    return moment_on(timezone.localdate() - dt.timedelta(days=days), hour, minute)


def days_ahead(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """`hour:minute` Amsterdam time `days` days after today: something planned. From
    tomorrow on only (`days` >= 1), so it is still to come whatever the hour the demo
    runs at; the hours the demo uses (daytime) exist on every day, clock changes or not."""
    if days < 1:
        raise ValueError("A planned moment in the demo lies from tomorrow on.")
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())
