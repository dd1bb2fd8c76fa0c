"""Figures from the files: households reached per way in, plans, goals, four-step order."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, F, Value, When
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
    _counts,
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


def _reach(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    start, end = period.bounds()
    intakes = Intake.objects.filter(
        created_at__gte=start, created_at__lt=end, **{f"{NB}__in": area_ids}
    ).exclude(status=Intake.Status.WITHDRAWN)
    group = Case(
        *[When(source__in=sources, then=Value(key)) for key, sources in SOURCE_GROUPS.items()],
        default=Value("other"),
        output_field=CharField(),
    )
    per_group = _counts(
        intakes.annotate(way=group)
        .values(NB, "way")
        .annotate(n=Count("household", distinct=True))
        .order_by(),
        NB,
        "way",
    )
    per_area = _counts(
        intakes.values(NB).annotate(n=Count("household", distinct=True)).order_by(), NB
    )
    counts = [[per_group.get((area.pk, key), 0) for key in SOURCE_GROUPS] for area in areas]
    return _additive_table(
        table_id="reach",
        title=_("Households reached, and how"),
        columns=_group_labels(),
        areas=areas,
        counts=counts,
        row_totals=[per_area.get(area.pk, 0) for area in areas],
        total_label=_("Households reached"),
        note=_(
            "A household that came in twice in different ways is counted in both columns, "
            "and once in the total."
        ),
    )


def _plans(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    start, end = period.bounds()
    plans = Plan.objects.filter(**{f"{NB}__in": area_ids})
    started = _counts(
        plans.filter(created_at__gte=start, created_at__lt=end)
        .values(NB)
        .annotate(n=Count("pk"))
        .order_by(),
        NB,
    )
    closed = _counts(
        plans.filter(closed_on__gte=period.start, closed_on__lte=period.end)
        .values(NB)
        .annotate(n=Count("pk"))
        .order_by(),
        NB,
    )
    # Derived from the goals' states (casework: a goal closes as reached on a day), never
    # typed: households with a goal reached in the period.
    reached = _counts(
        Goal.objects.filter(
            status=Goal.Status.REACHED,
            closed_on__gte=period.start,
            closed_on__lte=period.end,
            **{f"plan__{NB}__in": area_ids},
        )
        .values(n_area=F(f"plan__{NB}"))
        .annotate(n=Count("plan", distinct=True))
        .order_by(),
        "n_area",
    )
    measures = [
        _column([counts.get(area.pk, 0) for area in areas]) for counts in (started, closed, reached)
    ]

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


def _steps(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    start, end = period.bounds()
    actions = PlanAction.objects.filter(
        created_at__gte=start, created_at__lt=end, **{f"goal__plan__{NB}__in": area_ids}
    )
    household = f"goal__plan__{NB}"
    per_step = {
        (row[household], row["step"]): row["n"]
        for row in actions.values(household, "step").annotate(n=Count("pk")).order_by()
    }
    per_area = {
        row[household]: row["people"]
        for row in actions.values(household)
        .annotate(people=Count("goal__plan", distinct=True))
        .order_by()
    }
    steps = Step.values
    counts = [[per_step.get((area.pk, s), 0) for s in steps] for area in areas]
    households = [per_area.get(area.pk, 0) for area in areas]
    table = suppress(counts)
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
