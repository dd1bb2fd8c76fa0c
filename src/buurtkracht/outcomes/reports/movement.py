"""Movement: assessments at intake against later ones, up, the same or down."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from django.utils.translation import gettext as _

from buurtkracht.core.models import Area
from buurtkracht.outcomes.models import Assessment
from buurtkracht.outcomes.reports.tables import NB, Period, ReportTable, _additive_table

# The instruments as shipped in migration 0002.
MATRIX_CODE = "zrm"
LADDER_CODE = "participation_ladder"
OWN_SCORE_CODE = "own_score"


@dataclass(frozen=True)
class MovementSpec:
    """One instrument whose movement the report shows: from whose view, and in words."""

    table_id: str
    instrument: str
    perspective: str
    title: str
    note: str


def _movement_specs() -> list[MovementSpec]:
    return [
        MovementSpec(
            "movement",
            MATRIX_CODE,
            Assessment.Perspective.WORKER,
            _("Self-reliance matrix: movement since the intake"),
            _(
                "The same households before and after: the worker's view at the intake and "
                "the latest later one in this period, on the average of the life domains "
                "scored."
            ),
        ),
        MovementSpec(
            "ladder",
            LADDER_CODE,
            Assessment.Perspective.WORKER,
            _("Participation ladder: movement since the intake"),
            _(
                "The same households before and after: the rung at the intake and the latest "
                "later one in this period. Up means a rung higher."
            ),
        ),
        MovementSpec(
            "own-score",
            OWN_SCORE_CODE,
            Assessment.Perspective.RESIDENT,
            _("Own score: movement since the intake, in the residents' own view"),
            _(
                "The same households before and after: the resident's own scores at the "
                "intake and the latest later ones in this period, on their average."
            ),
        ),
    ]


def _movement(
    spec: MovementSpec, areas: list[Area], period: Period, area_ids: list[int]
) -> ReportTable:
    """Paired movement: per household (or person, when the assessment is about one member)
    the first intake assessment against the latest later one held in the period. Two
    queries, both on the stored summary of the scores."""
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
        # Ordered newest first, so the earliest intake is written last and wins.
        first_intake[household_id, person_id] = (held_on, cast(float, summary))
    directions = ("up", "same", "down")
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for subject, (area_id, held_on, after) in latest.items():
        intake = first_intake.get(subject)
        if intake is None or intake[0] >= held_on:
            continue
        before = intake[1]
        direction = "up" if after > before else "down" if after < before else "same"
        counts[area_id, direction] += 1
    return _additive_table(
        table_id=spec.table_id,
        title=spec.title,
        columns=[_("Went up"), _("Stayed the same"), _("Went down")],
        areas=areas,
        counts=[[counts[area.pk, d] for d in directions] for area in areas],
        total_label=_("Households with two assessments"),
        note=spec.note,
    )
