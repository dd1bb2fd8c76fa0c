"""Figures from the files: households reached per way in, plans, goals, four-step order."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from buurtkracht.casework.models import Action as PlanAction
from buurtkracht.casework.models import Goal, Intake, Plan, Step
from buurtkracht.core.disclosure import BASE, published, published_sum
from buurtkracht.core.models import Area
from buurtkracht.outcomes.reports.tables import (
    NB,
    Period,
    ReportTable,
    Shown,
    _additive_table,
    _column,
    _table_rows,
)
from buurtkracht.outcomes.suppression import suppress

# How a household came in, in the five ways the issue names. Family and neighbours
# count as "own request": the resident's own circle asked, not an organisation.
SOURCE_GROUPS: dict[str, tuple[str, ...]] = {
    "signal": (Intake.Source.SIGNAL,),
    "own_request": (Intake.Source.RESIDENT, Intake.Source.FAMILY, Intake.Source.NEIGHBOUR),
    "partner": (
        Intake.Source.PARTNER,
        Intake.Source.SCHOOL,
        Intake.Source.POLICE,
        Intake.Source.GENERAL_PRACTICE,
    ),
    "outreach": (Intake.Source.STREET,),
    "other": (Intake.Source.OTHER,),
}


def _group_labels() -> list[str]:
    return [_("Early signal"), _("Own request"), _("Partner"), _("Outreach"), _("Other")]


def reach_counts(period: Period, area_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Per neighbourhood: the households with an intake in the period (withdrawn intakes
    left out) per way in (`SOURCE_GROUPS`, in order) and, last, in all (a household that
    came in two ways is in two groups and once in all). One query."""
    start, end = period.bounds()
    intakes = Intake.objects.filter(
        created_at__gte=start, created_at__lt=end, **{f"{NB}__in": area_ids}
    ).exclude(status=Intake.Status.WITHDRAWN)
    grouped = [s for key, sources in SOURCE_GROUPS.items() if key != "other" for s in sources]
    ways = {
        key: ~Q(source__in=grouped) if key == "other" else Q(source__in=sources)
        for key, sources in SOURCE_GROUPS.items()
    }
    figures = {
        **{f"way_{key}": Count("household", distinct=True, filter=q) for key, q in ways.items()},
        "n": Count("household", distinct=True),
    }
    return {
        row[NB]: (*(row[f"way_{key}"] for key in SOURCE_GROUPS), row["n"])
        for row in intakes.values(NB).annotate(**figures).order_by()
    }


def _reach(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    per_area = reach_counts(period, area_ids)
    empty = (0,) * (len(SOURCE_GROUPS) + 1)
    found = [per_area.get(area.pk, empty) for area in areas]
    return _additive_table(
        table_id="reach",
        title=_("Households reached, and how"),
        columns=_group_labels(),
        areas=areas,
        counts=[list(row[:-1]) for row in found],
        row_totals=[row[-1] for row in found],
        total_label=_("Households reached"),
        note=_(
            "A household that came in twice in different ways is counted in both columns, "
            "and once in the total."
        ),
    )


def plan_counts(period: Period, area_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Per neighbourhood: plans started in the period, plans closed in it, and households
    with a goal reached (closed as reached) in the period. Two queries."""
    start, end = period.bounds()
    started = Q(created_at__gte=start, created_at__lt=end)
    closed = Q(closed_on__gte=period.start, closed_on__lte=period.end)
    counts: dict[int, list[int]] = {}
    for row in (
        Plan.objects.filter(started | closed, **{f"{NB}__in": area_ids})
        .values(NB)
        .annotate(started=Count("pk", filter=started), closed=Count("pk", filter=closed))
        .order_by()
    ):
        counts[row[NB]] = [row["started"], row["closed"], 0]
    # Derived from the goals' states (casework: a goal closes as reached on a day), never
    # typed: households with a goal reached in the period.
    for row in (
        Goal.objects.filter(
            status=Goal.Status.REACHED,
            closed_on__gte=period.start,
            closed_on__lte=period.end,
            **{f"plan__{NB}__in": area_ids},
        )
        .values(n_area=F(f"plan__{NB}"))
        .annotate(n=Count("plan", distinct=True))
        .order_by()
    ):
        counts.setdefault(row["n_area"], [0, 0, 0])[2] = row["n"]
    return {area: (a, b, c) for area, (a, b, c) in counts.items()}


def _plans(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    per_area = plan_counts(period, area_ids)
    found = [per_area.get(area.pk, (0, 0, 0)) for area in areas]
    measures = [_column([row[i] for row in found]) for i in range(3)]

    def figure(i: int) -> list[Shown]:
        return [Shown.of(cells[i] if i >= 0 else total) for cells, total in measures]

    rows, total = _table_rows(areas, figure)
    return ReportTable(
        "plans",
        _("Plans and goals"),
        [_("Plans started"), _("Plans closed"), _("Households with a goal reached")],
        rows,
        total,
        row_total=False,
    )


def step_counts(period: Period, area_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Per neighbourhood: the actions added in the period per step (`Step.values`, in
    order) and, last, the households (plans) behind them. One query."""
    start, end = period.bounds()
    household = f"goal__plan__{NB}"
    figures = {
        **{f"step_{step}": Count("pk", filter=Q(step=step)) for step in Step.values},
        "people": Count("goal__plan", distinct=True),
    }
    return {
        row[household]: (*(row[f"step_{step}"] for step in Step.values), row["people"])
        for row in PlanAction.objects.filter(
            created_at__gte=start, created_at__lt=end, **{f"{household}__in": area_ids}
        )
        .values(household)
        .annotate(**figures)
        .order_by()
    }


def _steps(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    per_area = step_counts(period, area_ids)
    empty = (0,) * (len(Step.values) + 1)
    found = [per_area.get(area.pk, empty) for area in areas]
    counts = [list(row[:-1]) for row in found]
    households = [row[-1] for row in found]
    table = suppress(counts, columns=len(Step.values))
    # A share of one or two households' actions would describe their plans: shares are
    # only given when the households behind the row are published as five or more.
    enough = [published(n) >= BASE for n in households]
    enough_total = published_sum(published(n) for n in households) >= BASE

    def figure(i: int) -> list[Shown]:
        if i < 0:
            cells, whole, ok = table.column_totals, table.grand_total, enough_total
        else:
            cells, whole, ok = table.cells[i], table.row_totals[i], enough[i]
        return [*(Shown.percent(cell, whole, enough=ok) for cell in cells), Shown.of(whole)]

    rows, total = _table_rows(areas, figure)
    return ReportTable(
        "steps",
        _("Four-step order: share of actions by step"),
        [str(label).capitalize() for label in Step.labels] + [_("Actions")],
        rows,
        total,
        _(
            "Shares of the rounded numbers of actions. A share is not given (—) when fewer "
            "than ten actions or fewer than five households (rounded) are behind it."
        ),
    )
