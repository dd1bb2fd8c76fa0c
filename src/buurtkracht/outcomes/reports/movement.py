"""Movement: assessments at intake against later ones, up, the same or down."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from buurtkracht.core.models import Area
from buurtkracht.households.models import Household
from buurtkracht.outcomes.models import Assessment, Instrument, InstrumentVersion
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


# Movement is paired in the database, one query for the three instruments. Per subject
# (household, or person when the assessment is about one member) and instrument: the
# latest assessment held in the period (`latest`, the first row newest first) and the
# earliest intake assessment up to the end of the period (`intake`, the first row oldest
# first; ties on the date go by id, the order of recording). The two sides are put
# together by grouping (`paired`), not by a join: the planner cannot estimate how many
# rows a window function leaves, and a join on such estimates became a nested loop over
# both sides (10 s at 100,000 households). Only the counts per instrument, neighbourhood
# and direction come back. ROW_NUMBER works on PostgreSQL and SQLite alike.
_PAIRING_SQL = """
WITH latest AS (
    SELECT code, perspective, household_id, subject, area, held_on, summary
    FROM (
        SELECT i.code AS code, a.perspective AS perspective, a.household_id AS household_id,
            COALESCE(a.person_id, 0) AS subject, h.neighbourhood_id AS area,
            a.held_on AS held_on, a.summary AS summary,
            ROW_NUMBER() OVER (
                PARTITION BY i.code, a.perspective, a.household_id, COALESCE(a.person_id, 0)
                ORDER BY a.held_on DESC, a.id DESC
            ) AS rank
        FROM {assessment} a
        JOIN {version} v ON v.id = a.instrument_version_id
        JOIN {instrument} i ON i.id = v.instrument_id
        JOIN {household} h ON h.id = a.household_id
        WHERE a.summary IS NOT NULL AND a.held_on >= %s AND a.held_on <= %s
            AND h.neighbourhood_id IN ({areas}) AND ({kinds})
    ) ranked
    WHERE rank = 1
),
intake AS (
    SELECT code, perspective, household_id, subject, held_on, summary
    FROM (
        SELECT i.code AS code, a.perspective AS perspective, a.household_id AS household_id,
            COALESCE(a.person_id, 0) AS subject, a.held_on AS held_on, a.summary AS summary,
            ROW_NUMBER() OVER (
                PARTITION BY i.code, a.perspective, a.household_id, COALESCE(a.person_id, 0)
                ORDER BY a.held_on, a.id
            ) AS rank
        FROM {assessment} a
        JOIN {version} v ON v.id = a.instrument_version_id
        JOIN {instrument} i ON i.id = v.instrument_id
        WHERE a.summary IS NOT NULL AND a.moment = %s AND a.held_on <= %s AND ({kinds})
            AND a.household_id IN (SELECT household_id FROM latest)
    ) ranked
    WHERE rank = 1
),
paired AS (
    SELECT MAX(area) AS area, code, perspective,
        MAX(CASE WHEN side = 'latest' THEN held_on END) AS latest_on,
        MAX(CASE WHEN side = 'latest' THEN summary END) AS after,
        MAX(CASE WHEN side = 'intake' THEN held_on END) AS intake_on,
        MAX(CASE WHEN side = 'intake' THEN summary END) AS before
    FROM (
        SELECT 'latest' AS side, code, perspective, household_id, subject, area, held_on,
            summary
        FROM latest
        UNION ALL
        SELECT 'intake' AS side, code, perspective, household_id, subject, NULL, held_on,
            summary
        FROM intake
    ) sides
    GROUP BY code, perspective, household_id, subject
)
SELECT code, perspective, area,
    CASE WHEN after > before THEN 'up' WHEN after < before THEN 'down' ELSE 'same' END
        AS direction,
    COUNT(*)
FROM paired
WHERE intake_on < latest_on
GROUP BY code, perspective, area, direction
"""

DIRECTIONS = ("up", "same", "down")


def movement_counts(
    specs: list[MovementSpec], period: Period, area_ids: list[int]
) -> dict[str, dict[tuple[int, str], int]]:
    """Per table (`MovementSpec.table_id`): how many subjects went up, stayed the same or
    went down, per neighbourhood ({(area id, direction): count}). One query, whatever the
    data."""
    counts: dict[str, dict[tuple[int, str], int]] = {
        spec.table_id: defaultdict(int) for spec in specs
    }
    table_of = {(spec.instrument, str(spec.perspective)): spec.table_id for spec in specs}
    if not specs or not area_ids:
        return counts
    kinds = " OR ".join("(i.code = %s AND a.perspective = %s)" for _spec in specs)
    kind_params = [str(v) for spec in specs for v in (spec.instrument, spec.perspective)]
    quote = connection.ops.quote_name
    sql = _PAIRING_SQL.format(
        assessment=quote(Assessment._meta.db_table),
        version=quote(InstrumentVersion._meta.db_table),
        instrument=quote(Instrument._meta.db_table),
        household=quote(Household._meta.db_table),
        areas=", ".join("%s" for _id in area_ids),
        kinds=kinds,
    )
    params: list[dt.date | int | str] = [
        period.start,
        period.end,
        *area_ids,
        *kind_params,
        Assessment.Moment.INTAKE.value,
        period.end,
        *kind_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for code, perspective, area_id, direction, n in cursor.fetchall():
            counts[table_of[code, perspective]][area_id, direction] += n
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
