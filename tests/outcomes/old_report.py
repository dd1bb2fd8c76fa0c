"""The outcome report's counts as computed before issue 17 ("Speed"), kept verbatim (the
queries and the Python pairing) so that the faster code can be compared with them on a
generated data set (test_report_equivalence.py). Each function returns its figures in
the shape of the function that replaced it, so the tests can swap them in."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import cast

from django.db.models import Case, CharField, Count, F, Value, When

from buurtkracht.casework.models import Action as PlanAction
from buurtkracht.casework.models import Goal, Intake, Plan, Step
from buurtkracht.core.models import Team
from buurtkracht.outcomes.models import Assessment
from buurtkracht.outcomes.reports.movement import MovementSpec
from buurtkracht.outcomes.reports.plans import SOURCE_GROUPS
from buurtkracht.outcomes.reports.tables import NB, Period, _counts
from buurtkracht.signals.monitor import MonthRange, monitor_rows


def reach_counts(period: Period, area_ids: list[int]) -> dict[int, tuple[int, ...]]:
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
    return {
        area: (*(per_group.get((area, key), 0) for key in SOURCE_GROUPS), n)
        for area, n in per_area.items()
    }


def plan_counts(period: Period, area_ids: list[int]) -> dict[int, tuple[int, int, int]]:
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
    areas = set(started) | set(closed) | set(reached)
    return {a: (started.get(a, 0), closed.get(a, 0), reached.get(a, 0)) for a in areas}


def step_counts(period: Period, area_ids: list[int]) -> dict[int, tuple[int, ...]]:
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
    return {
        area: (*(per_step.get((area, s), 0) for s in Step.values), people)
        for area, people in per_area.items()
    }


def _movement(
    spec: MovementSpec, period: Period, area_ids: list[int]
) -> dict[tuple[int, str], int]:
    of_kind = Assessment.objects.filter(
        perspective=spec.perspective,
        instrument_version__instrument__code=spec.instrument,
        summary__isnull=False,
    )
    in_period = of_kind.filter(
        held_on__gte=period.start, held_on__lte=period.end, **{f"{NB}__in": area_ids}
    )
    latest: dict[tuple[int, int | None], tuple[int, dt.date, float]] = {}
    for household_id, person_id, area_id, held_on, summary in in_period.order_by(
        "held_on", "pk"
    ).values_list("household_id", "person_id", NB, "held_on", "summary"):
        latest[household_id, person_id] = (area_id, held_on, cast(float, summary))
    first_intake: dict[tuple[int, int | None], tuple[dt.date, float]] = {}
    for household_id, person_id, held_on, summary in (
        of_kind.filter(
            moment=Assessment.Moment.INTAKE,
            held_on__lte=period.end,
            household__in=in_period.values("household_id"),
        )
        .order_by("-held_on", "-pk")
        .values_list("household_id", "person_id", "held_on", "summary")
    ):
        first_intake[household_id, person_id] = (held_on, cast(float, summary))
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for subject, (area_id, held_on, after) in latest.items():
        intake = first_intake.get(subject)
        if intake is None or intake[0] >= held_on:
            continue
        before = intake[1]
        direction = "up" if after > before else "down" if after < before else "same"
        counts[area_id, direction] += 1
    return counts


def movement_counts(
    specs: list[MovementSpec], period: Period, area_ids: list[int]
) -> dict[str, dict[tuple[int, str], int]]:
    return {spec.table_id: _movement(spec, period, area_ids) for spec in specs}


def signal_outcome_counts(
    period: Period, area_ids: list[int], team: Team | None
) -> dict[int, tuple[int, int, int]]:
    rows = monitor_rows(
        months=MonthRange(period.start, period.end),
        team_id=team.pk if team else None,
        neighbourhood_ids=area_ids,
        group_by="neighbourhood",
    )
    return {
        row.key: (row.counts.reports, row.counts.reached, row.counts.accepted)
        for row in rows
        if row.counts.reports
    }
