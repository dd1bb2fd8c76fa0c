"""Figures from early signals and warm referrals."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Count, Value, When
from django.utils.translation import gettext as _

from buurtkracht.core.models import Area, Team
from buurtkracht.outcomes.reports.tables import NB, Period, ReportTable, _additive_table, _counts
from buurtkracht.referrals.models import Referral
from buurtkracht.signals.monitor import MonthRange, monitor_rows


def _signals(areas: list[Area], period: Period, team: Team | None) -> ReportTable:
    """The signal monitor's figures for the same neighbourhoods and months: reports (one
    address, one month) and what came of them. The columns add up to the reports, so the
    suppression can check every difference."""
    rows = monitor_rows(
        months=MonthRange(period.start, period.end),
        team_id=team.pk if team else None,
        neighbourhood_ids=[area.pk for area in areas],
        group_by="neighbourhood",
    )
    by_area = {row.key: row.counts for row in rows}
    counts = []
    for area in areas:
        c = by_area.get(area.pk)
        if c is None:
            counts.append([0, 0, 0])
            continue
        counts.append([c.accepted, c.reached - c.accepted, c.reports - c.reached])
    return _additive_table(
        table_id="signals",
        title=_("Early signals: reports and what came of them"),
        columns=[_("Reached, help accepted"), _("Reached, no help"), _("Not reached")],
        areas=areas,
        counts=counts,
        total_label=_("Reports"),
        note=_(
            "A report bundles the signals about one address in one month. Whole months: "
            "a period that starts or ends halfway a month counts that month in full."
        ),
    )


def _referrals(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    """Warm referrals made in the period, by where they stand now. The columns add up to
    the referrals made, so the suppression can check every difference."""
    start, end = period.bounds()
    made = Referral.objects.filter(
        created_at__gte=start, created_at__lt=end, **{f"{NB}__in": area_ids}
    )
    outcome = Case(
        When(status=Referral.Status.STARTED, then=Value("started")),
        When(
            status__in=[Referral.Status.NOT_STARTED, Referral.Status.DROPPED_OUT],
            then=Value("not_started"),
        ),
        default=Value("open"),
        output_field=CharField(),
    )
    per_outcome = _counts(
        made.annotate(outcome=outcome).values(NB, "outcome").annotate(n=Count("pk")).order_by(),
        NB,
        "outcome",
    )
    keys = ("started", "not_started", "open")
    counts = [[per_outcome.get((area.pk, key), 0) for key in keys] for area in areas]
    return _additive_table(
        table_id="referrals",
        title=_("Warm referrals made, and where they stand"),
        columns=[_("Help started"), _("Not started or dropped out"), _("Still under way")],
        areas=areas,
        counts=counts,
        total_label=_("Referrals made"),
        note=_(
            "Referrals made in this period, counted by where they stand today. A referral "
            "is one resident referred to one place."
        ),
    )


def referrals_started_per_resource(
    period: Period, area_ids: list[int] | None = None
) -> dict[Any, int]:
    """Per social-map entry: how many warm referrals started in the period (of households
    in `area_ids`, or everywhere). Raw counts: whoever shows them suppresses them."""
    start, end = period.bounds()
    started = Referral.objects.filter(
        status=Referral.Status.STARTED,
        status_changed_at__gte=start,
        status_changed_at__lt=end,
        resource__isnull=False,
    )
    if area_ids is not None:
        started = started.filter(**{f"{NB}__in": area_ids})
    return {
        row["resource"]: row["n"]
        for row in started.values("resource").annotate(n=Count("pk")).order_by()
    }
