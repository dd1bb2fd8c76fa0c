"""The whole report: the neighbourhoods in scope and every table for a period."""

from __future__ import annotations

from django.db.models import Q

from buurtkracht.core.models import Area, Team
from buurtkracht.outcomes.reports.movement import _movement_tables
from buurtkracht.outcomes.reports.outreach import _referrals, _signals
from buurtkracht.outcomes.reports.plans import _plans, _reach, _steps
from buurtkracht.outcomes.reports.tables import OutcomeReport, Period
from buurtkracht.outcomes.stories import report_stories


def neighbourhoods_for(team: Team | None, area: Area | None = None) -> list[Area]:
    """The neighbourhoods of the report: those the team serves (or all), narrowed to one
    neighbourhood or to the neighbourhoods of one district."""
    areas = team.neighbourhoods.all() if team else Area.objects.all()
    areas = areas.filter(kind=Area.Kind.NEIGHBOURHOOD)
    if area is not None:
        areas = areas.filter(Q(pk=area.pk) | Q(parent=area.pk))
    return list(areas.order_by("name", "pk"))


def outcome_report(
    *, period: Period, team: Team | None = None, area: Area | None = None
) -> OutcomeReport:
    """Every table of the report, suppressed and ready to show or export. `area` is one
    neighbourhood or one district."""
    areas = neighbourhoods_for(team, area)
    area_ids = [a.pk for a in areas]
    tables = [
        _reach(areas, period, area_ids),
        _plans(areas, period, area_ids),
        _steps(areas, period, area_ids),
        *_movement_tables(areas, period, area_ids),
        _signals(areas, period, team),
        _referrals(areas, period, area_ids),
    ]
    stories = report_stories(
        start=period.start, end=period.end, area_ids=area_ids, team=team, area=area
    )
    return OutcomeReport(
        period=period, team=team, area=area, neighbourhoods=areas, tables=tables, stories=stories
    )
