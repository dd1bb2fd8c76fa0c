"""The monitor's rows per month, team or neighbourhood in a scope, and their total."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Literal

from django.db.models import Q, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from buurtkracht.core.models import Area, Team
from buurtkracht.signals.models import (
    MonitorCount,
    Report,
)
from buurtkracht.signals.monitor.counts import Counts, report_counts
from buurtkracht.signals.monitor.figures import MonitorRow
from buurtkracht.signals.monitor.months import MonthRange, month_start

GroupBy = Literal["month", "team", "neighbourhood"]
GROUPINGS: tuple[GroupBy, ...] = ("month", "team", "neighbourhood")
# The monitor ---------------------------------------------------------------------------------

_FIELD: dict[str, str] = {"month": "month", "team": "team", "neighbourhood": "neighbourhood"}


def _month_list(months: Sequence[dt.date] | MonthRange) -> list[dt.date]:
    if isinstance(months, MonthRange):
        return months.months()
    return sorted({month_start(m) for m in months})


def _scope(
    months: list[dt.date],
    team_id: int | None,
    neighbourhood_id: int | None,
    neighbourhood_ids: Sequence[int] | None = None,
) -> dict[str, Any]:
    scope: dict[str, Any] = {"month__in": months}
    if team_id:
        scope["team"] = team_id
    if neighbourhood_id:
        scope["neighbourhood"] = neighbourhood_id
    if neighbourhood_ids is not None:
        scope["neighbourhood__in"] = list(neighbourhood_ids)
    return scope


def _area_inhabitants(team_id: int | None, neighbourhood_id: int | None) -> int:
    """Inhabitants of the neighbourhood, of the team's neighbourhoods, or of all of them."""
    areas = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD)
    if neighbourhood_id:
        areas = areas.filter(pk=neighbourhood_id)
    elif team_id:
        areas = areas.filter(teams=team_id)
    return int(areas.aggregate(n=Sum("inhabitants"))["n"] or 0)


def monitor_rows(
    *,
    months: Sequence[dt.date] | MonthRange,
    team_id: int | None = None,
    neighbourhood_id: int | None = None,
    neighbourhood_ids: Sequence[int] | None = None,
    group_by: GroupBy = "month",
) -> list[MonitorRow]:
    """The monitor's rows for the period, optionally for one team and/or neighbourhood (or
    a set of neighbourhoods, for the outcome report),
    grouped per month (every month of the period, also empty ones), per team or per
    neighbourhood (those in scope, and those with data). Live reports and the counts kept
    after the purge are added together."""
    if group_by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {group_by!r}")
    month_list = _month_list(months)
    scope = _scope(month_list, team_id, neighbourhood_id, neighbourhood_ids)
    key_field = _FIELD[group_by]

    counts: dict[Any, Counts] = defaultdict(Counts)
    for (key,), c in report_counts(Report.objects.filter(**scope), [key_field]).items():
        counts[key].add(c)
    for row in MonitorCount.objects.filter(**scope).values(
        key_field,
        "signals",
        "reports",
        "multiple",
        "consecutive",
        "reached",
        "accepted",
        "attempts",
    ):
        counts[row[key_field]].add(Counts.from_monitor_count(row))

    if group_by == "month":
        inhabitants = _area_inhabitants(team_id, neighbourhood_id)
        return [
            MonitorRow(
                key=month,
                label=formats.date_format(month, "YEAR_MONTH_FORMAT"),
                counts=counts.get(month, Counts()),
                inhabitants=inhabitants,
                months=1,
            )
            for month in month_list
        ]

    known = {k for k in counts if k is not None}
    rows: list[MonitorRow] = []
    if group_by == "team":
        teams = Team.objects.all()
        if team_id:
            teams = teams.filter(pk=team_id)
        elif neighbourhood_id:
            teams = teams.filter(neighbourhoods=neighbourhood_id)
        override = _area_inhabitants(None, neighbourhood_id) if neighbourhood_id else None
        found = (
            Team.objects.filter(Q(pk__in=teams.values("pk")) | Q(pk__in=known))
            .annotate(
                n_inhabitants=Sum(
                    "neighbourhoods__inhabitants",
                    filter=Q(neighbourhoods__kind=Area.Kind.NEIGHBOURHOOD),
                )
            )
            .values_list("pk", "name", "n_inhabitants")
        )
        rows = [
            MonitorRow(
                key=pk,
                label=name,
                counts=counts.get(pk, Counts()),
                inhabitants=override if override is not None else n,
                months=len(month_list),
            )
            for pk, name, n in found
        ]
        unknown = _("No team")
    else:
        areas = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD)
        if neighbourhood_id:
            areas = areas.filter(pk=neighbourhood_id)
        elif team_id:
            areas = areas.filter(teams=team_id)
        found_areas = Area.objects.filter(
            Q(pk__in=areas.values("pk")) | Q(pk__in=known)
        ).values_list("pk", "name", "inhabitants")
        rows = [
            MonitorRow(
                key=pk,
                label=name,
                counts=counts.get(pk, Counts()),
                inhabitants=n,
                months=len(month_list),
            )
            for pk, name, n in found_areas
        ]
        unknown = _("Neighbourhood unknown")
    rows.sort(key=lambda r: r.label.casefold())
    if None in counts:
        rows.append(
            MonitorRow(
                key=None,
                label=unknown,
                counts=counts[None],
                inhabitants=None,
                months=len(month_list),
            )
        )
    return rows


def total_row(rows: Sequence[MonitorRow], *, group_by: GroupBy) -> MonitorRow:
    """All rows together, counted as the sum of the rows' published figures. Per month
    the rows share one area, so the inhabitants are those of one row over all months; per
    team or neighbourhood the areas add up over one period."""
    counts = Counts()
    for row in rows:
        counts.add(row.counts)
    if group_by == "month":
        inhabitants = rows[0].inhabitants if rows else None
        months = sum(row.months for row in rows)
    else:
        inhabitants = sum(row.inhabitants or 0 for row in rows) or None
        months = rows[0].months if rows else 0
    # The total's counts are the sums of the rows' published counts (`parts`), so that
    # the total says nothing the rows do not.
    return MonitorRow(
        key="total",
        label=_("Total"),
        counts=counts,
        inhabitants=inhabitants,
        months=months,
        parts=list(rows),
    )
