"""Figures from early signals and warm referrals."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Sum, Value, When
from django.utils.translation import gettext as _

from buurtkracht.core.models import Area, Team
from buurtkracht.outcomes.reports.tables import NB, Period, ReportTable, _additive_table, _counts
from buurtkracht.referrals.models import Referral
from buurtkracht.signals.models import ContactAttempt, MonitorCount, Report
from buurtkracht.signals.monitor import MonthRange
from buurtkracht.signals.monitor.counts import REACHED_OUTCOMES


def signal_outcome_counts(
    period: Period, area_ids: list[int], team: Team | None
) -> dict[int, tuple[int, int, int]]:
    """Per neighbourhood: the signal reports of the months in the period, those in which
    someone was reached and those in which help was accepted — counted as the signal
    monitor counts them (`signals.monitor`), live reports and the counts kept after the
    purge together, but only these three figures: two queries."""
    scope: dict[str, Any] = {
        "month__in": MonthRange(period.start, period.end).months(),
        "neighbourhood__in": area_ids,
    }
    if team is not None:
        scope["team"] = team.pk
    reached_attempt = ContactAttempt.objects.filter(report=OuterRef("pk"), reached=True)
    counts: dict[int, list[int]] = {}
    for row in (
        Report.objects.filter(**scope)
        .order_by()
        .values("neighbourhood")
        .annotate(
            n=Count("pk"),
            n_reached=Count(
                "pk", filter=Q(outcome__in=REACHED_OUTCOMES) | Q(Exists(reached_attempt))
            ),
            n_accepted=Count("pk", filter=Q(outcome=Report.Outcome.ACCEPTED)),
        )
    ):
        mine = counts.setdefault(row["neighbourhood"], [0, 0, 0])
        mine[0] += row["n"]
        mine[1] += row["n_reached"]
        mine[2] += row["n_accepted"]
    for row in (
        MonitorCount.objects.filter(**scope)
        .order_by()
        .values("neighbourhood")
        .annotate(n=Sum("reports"), n_reached=Sum("reached"), n_accepted=Sum("accepted"))
    ):
        mine = counts.setdefault(row["neighbourhood"], [0, 0, 0])
        mine[0] += row["n"] or 0
        mine[1] += row["n_reached"] or 0
        mine[2] += row["n_accepted"] or 0
    return {area: (n, reached, accepted) for area, (n, reached, accepted) in counts.items()}


def _signals(areas: list[Area], period: Period, team: Team | None) -> ReportTable:
    """The signal monitor's figures for the same neighbourhoods and months: reports (one
    address, one month) and what came of them. The columns add up to the reports, so the
    suppression can check every difference."""
    by_area = signal_outcome_counts(period, [area.pk for area in areas], team)
    counts = []
    for area in areas:
        reports, reached, accepted = by_area.get(area.pk, (0, 0, 0))
        counts.append([accepted, reached - accepted, reports - reached])
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
