"""Movement: assessments at intake against later ones, up, the same or down."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from buurtkracht.core.models import Area
from buurtkracht.households.models import Household
from buurtkracht.outcomes.models import Assessment, InstrumentVersion
from buurtkracht.outcomes.reports.tables import Period, ReportTable, _additive_table

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


# Movement is paired in the database, in one query for the three instruments and in one
# pass over the rows: an instrument's assessments held in the period and its intake
# assessments up to the end of the period, of the households in the neighbourhoods. Per
# subject (household, or person when the assessment is about one member) and instrument
# (`kind`): the newest row (rank 1, newest first; ties on the date go by id, the order of
# recording) is the latest assessment in the period when it is held in the period, and
# the first row with intakes first, oldest first, is the earliest intake. Only the counts
# per kind, neighbourhood and direction come back.
#
# Two findings from EXPLAIN ANALYZE at 100,000 households: the windows partition on
# integers only (sorting on the instrument code and the perspective, text, took twice
# as long), and the two sides are not joined (the planner cannot estimate how many rows
# a window leaves, and a join on such estimates became a nested loop: 10 s). ROW_NUMBER
# and FIRST_VALUE work on PostgreSQL and SQLite alike.
_PAIRING_SQL = """
SELECT kind, area,
    CASE WHEN summary > first_summary THEN 1 WHEN summary < first_summary THEN -1 ELSE 0 END
        AS direction,
    COUNT(*)
FROM (
    SELECT kind, area, held_on, summary,
        ROW_NUMBER() OVER (
            PARTITION BY kind, household_id, subject ORDER BY held_on DESC, id DESC
        ) AS rank,
        FIRST_VALUE(is_intake) OVER (
            PARTITION BY kind, household_id, subject ORDER BY is_intake DESC, held_on, id
        ) AS first_is_intake,
        FIRST_VALUE(held_on) OVER (
            PARTITION BY kind, household_id, subject ORDER BY is_intake DESC, held_on, id
        ) AS first_on,
        FIRST_VALUE(summary) OVER (
            PARTITION BY kind, household_id, subject ORDER BY is_intake DESC, held_on, id
        ) AS first_summary
    FROM (
        SELECT {kind} AS kind, a.household_id AS household_id,
            COALESCE(a.person_id, 0) AS subject, h.neighbourhood_id AS area,
            a.held_on AS held_on, a.id AS id, a.summary AS summary,
            CASE WHEN a.moment = %s THEN 1 ELSE 0 END AS is_intake
        FROM {assessment} a
        JOIN {household} h ON h.id = a.household_id
        WHERE a.summary IS NOT NULL AND a.instrument_version_id IN ({versions})
            AND a.held_on <= %s AND (a.held_on >= %s OR a.moment = %s)
            AND h.neighbourhood_id IN ({areas})
    ) assessed
    WHERE kind IS NOT NULL
) ranked
WHERE rank = 1 AND held_on >= %s AND first_is_intake = 1 AND first_on < held_on
GROUP BY kind, area, direction
"""

DIRECTIONS = ("up", "same", "down")
_DIRECTION = {1: "up", 0: "same", -1: "down"}


def _marks(values: list[Any]) -> str:
    return ", ".join("%s" for _value in values)


def movement_counts(
    specs: list[MovementSpec], period: Period, area_ids: list[int]
) -> dict[str, dict[tuple[int, str], int]]:
    """Per table (`MovementSpec.table_id`): how many subjects went up, stayed the same or
    went down, per neighbourhood ({(area id, direction): count}). Two queries, whatever
    the data: the instruments' versions, and the pairing."""
    counts: dict[str, dict[tuple[int, str], int]] = {
        spec.table_id: defaultdict(int) for spec in specs
    }
    versions: dict[str, list[int]] = defaultdict(list)
    for pk, code in InstrumentVersion.objects.filter(
        instrument__code__in=[spec.instrument for spec in specs]
    ).values_list("pk", "instrument__code"):
        versions[code].append(pk)
    kinds = [(n, spec) for n, spec in enumerate(specs) if versions.get(spec.instrument)]
    if not kinds or not area_ids:
        return counts
    kind = "CASE {} END".format(
        " ".join(
            f"WHEN a.instrument_version_id IN ({_marks(versions[spec.instrument])})"
            f" AND a.perspective = %s THEN {n}"
            for n, spec in kinds
        )
    )
    kind_params: list[Any] = [
        value for _n, spec in kinds for value in (*versions[spec.instrument], str(spec.perspective))
    ]
    every_version = [pk for _n, spec in kinds for pk in versions[spec.instrument]]
    quote = connection.ops.quote_name
    sql = _PAIRING_SQL.format(
        kind=kind,
        assessment=quote(Assessment._meta.db_table),
        household=quote(Household._meta.db_table),
        versions=_marks(every_version),
        areas=_marks(area_ids),
    )
    intake = Assessment.Moment.INTAKE.value
    params = [
        *kind_params,
        intake,
        *every_version,
        period.end,
        period.start,
        intake,
        *area_ids,
        period.start,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for n, area_id, direction, number in cursor.fetchall():
            counts[specs[n].table_id][area_id, _DIRECTION[direction]] += number
    return counts


def _movement_tables(areas: list[Area], period: Period, area_ids: list[int]) -> list[ReportTable]:
    """Paired movement: per household (or person, when the assessment is about one member)
    the first intake assessment against the latest later one held in the period, on the
    stored summary of the scores. One table per instrument."""
    specs = _movement_specs()
    counts = movement_counts(specs, period, area_ids)
    return [
        _additive_table(
            table_id=spec.table_id,
            title=spec.title,
            columns=[_("Went up"), _("Stayed the same"), _("Went down")],
            areas=areas,
            counts=[[counts[spec.table_id][area.pk, d] for d in DIRECTIONS] for area in areas],
            total_label=_("Households with two assessments"),
            note=spec.note,
        )
        for spec in specs
    ]
