"""The neighbourhood report (issue 7, "Reports for team leaders and policy advisors"):
figures per neighbourhood for a period, optionally for one team.

Reads only. Every figure goes through `outcomes.suppression`, so nothing about fewer than
five households is shown. Nothing is grouped per worker: the report is about what
happens in neighbourhoods, not a ranking of colleagues. The number of queries does not
depend on the number of households: counts are made in the database, one query per
figure kind (the self-reliance movement reads one row per assessment, because the
average of a JSON score set is not portable SQL).

What "in the period" means per figure:
- households reached: households with an intake recorded in the period (withdrawn intakes
  left out), counted once per way in and once in the row total;
- plans started: plans created in the period; plans closed: closed in the period (a
  household has one plan, so these count households);
- goal reached: households whose plan ran during the period and has a goal marked reached;
- four-step order: actions added in the period, by step, as a share of all of them;
  hidden when fewer than five households are behind a figure;
- self-reliance movement: households with a worker's self-reliance matrix at intake and a
  later one held in the period; up, the same or down on the average of the domains.

A team filter keeps the neighbourhoods the team serves. Households whose address lies
outside every neighbourhood are not in the report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.casework.models import Action as PlanAction
from buurtkracht.casework.models import Goal, Intake, Plan, Step
from buurtkracht.core.models import Area, Team
from buurtkracht.outcomes.models import Assessment
from buurtkracht.outcomes.suppression import Cell, share, suppress

# The self-reliance matrix (ZRM), as shipped in migration 0002.
MATRIX_CODE = "zrm"

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


@dataclass(frozen=True)
class Shown:
    """One figure as it appears: `text` on the page, `export` in CSV and XLSX."""

    text: str
    export: int | float | str

    @classmethod
    def of(cls, cell: Cell) -> Shown:
        return cls(str(cell), cell.render())

    @classmethod
    def percent(cls, part: Cell, whole: Cell) -> Shown:
        value = share(part, whole)
        if value is None:
            mark = part.render() if part.hidden else whole.render() if whole.hidden else "—"
            text = str(mark)
            return cls(text, text if mark != "—" else "")
        return cls(f"{formats.number_format(value, 0, use_l10n=True)}%", round(value, 1))


@dataclass(frozen=True)
class ReportRow:
    label: str
    figures: list[Shown]


@dataclass
class ReportTable:
    id: str
    title: str
    columns: list[str]
    rows: list[ReportRow] = field(default_factory=list)
    total: ReportRow | None = None
    note: str = ""

    def lines(self) -> list[list[Any]]:
        """For the exports: a header, the rows and the total, values as on the page."""
        lines: list[list[Any]] = [[_("Neighbourhood"), *self.columns]]
        for row in [*self.rows, *([self.total] if self.total else [])]:
            lines.append([row.label, *(figure.export for figure in row.figures)])
        return lines


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes, for fields with a time."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


@dataclass
class OutcomeReport:
    period: Period
    team: Team | None
    neighbourhoods: list[Area]
    tables: list[ReportTable]


NB = "household__address__neighbourhood"


def _counts(rows: Any, key: str, column: str | None = None) -> dict[Any, int]:
    if column is None:
        return {row[NB if key == NB else key]: row["n"] for row in rows}
    return {(row[key], row[column]): row["n"] for row in rows}


def _table_rows(
    areas: list[Area], figure: Callable[[int], list[Shown]]
) -> tuple[list[ReportRow], ReportRow]:
    """One row per neighbourhood and the total row (`figure(-1)`)."""
    rows = [ReportRow(area.name, figure(i)) for i, area in enumerate(areas)]
    return rows, ReportRow(_("All neighbourhoods"), figure(-1))


def _additive_table(
    *,
    table_id: str,
    title: str,
    columns: list[str],
    areas: list[Area],
    counts: list[list[int]],
    row_totals: list[int],
    total_label: str,
    note: str = "",
) -> ReportTable:
    suppressed = suppress(counts, row_totals=row_totals)

    def figure(i: int) -> list[Shown]:
        if i < 0:
            cells = [*suppressed.column_totals, suppressed.grand_total]
        else:
            cells = [*suppressed.cells[i], suppressed.row_totals[i]]
        return [Shown.of(cell) for cell in cells]

    rows, total = _table_rows(areas, figure)
    return ReportTable(table_id, title, [*columns, total_label], rows, total, note)


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


def _column(counts: list[int]) -> tuple[list[Cell], Cell]:
    """One measure on its own: the neighbourhoods add up to the total."""
    suppressed = suppress([[n] for n in counts])
    return [row[0] for row in suppressed.cells], suppressed.column_totals[0]


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
    reached = _counts(
        Goal.objects.filter(
            status=Goal.Status.REACHED,
            plan__created_at__lt=end,
            **{f"plan__{NB}__in": area_ids},
        )
        .filter(Q(plan__closed_on__isnull=True) | Q(plan__closed_on__gte=period.start))
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
    )


def _steps(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    start, end = period.bounds()
    actions = PlanAction.objects.filter(
        created_at__gte=start, created_at__lt=end, **{f"goal__plan__{NB}__in": area_ids}
    )
    household = f"goal__plan__{NB}"
    per_step = {
        (row[household], row["step"]): (row["n"], row["people"])
        for row in actions.values(household, "step")
        .annotate(n=Count("pk"), people=Count("goal__plan", distinct=True))
        .order_by()
    }
    per_area = {
        row[household]: row["people"]
        for row in actions.values(household)
        .annotate(people=Count("goal__plan", distinct=True))
        .order_by()
    }
    steps = Step.values
    counts = [[per_step.get((area.pk, s), (0, 0))[0] for s in steps] for area in areas]
    people = [[per_step.get((area.pk, s), (0, 0))[1] for s in steps] for area in areas]
    suppressed = suppress(
        counts, people=people, row_people=[per_area.get(area.pk, 0) for area in areas]
    )

    def figure(i: int) -> list[Shown]:
        if i < 0:
            cells, whole = suppressed.column_totals, suppressed.grand_total
        else:
            cells, whole = suppressed.cells[i], suppressed.row_totals[i]
        return [*(Shown.percent(cell, whole) for cell in cells), Shown.of(whole)]

    rows, total = _table_rows(areas, figure)
    return ReportTable(
        "steps",
        _("Four-step order: share of actions by step"),
        [str(label).capitalize() for label in Step.labels] + [_("Actions")],
        rows,
        total,
        _(
            "A share is hidden when fewer than five households are behind it, or when it "
            "would let someone work out a hidden share."
        ),
    )


def _average(scores: dict[str, Any]) -> float | None:
    numbers = [v for v in scores.values() if isinstance(v, int | float) and not isinstance(v, bool)]
    return sum(numbers) / len(numbers) if numbers else None


def _movement(areas: list[Area], period: Period, area_ids: list[int]) -> ReportTable:
    rows = (
        Assessment.objects.filter(
            perspective=Assessment.Perspective.WORKER,
            instrument_version__instrument__code=MATRIX_CODE,
            held_on__lte=period.end,
            **{f"{NB}__in": area_ids},
        )
        .order_by("household_id", "held_on", "pk")
        .values_list("household_id", NB, "moment", "held_on", "scores")
    )
    per_household: dict[int, list[tuple[int, str, dt.date, dict[str, Any]]]] = defaultdict(list)
    for household_id, area_id, moment, held_on, scores in rows:
        per_household[household_id].append((area_id, moment, held_on, scores or {}))
    directions = ("up", "same", "down")
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for assessments in per_household.values():
        intake = next((a for a in assessments if a[1] == Assessment.Moment.INTAKE), None)
        if intake is None:
            continue
        later = [a for a in assessments if a[2] > intake[2] and a[2] >= period.start]
        if not later:
            continue
        before, after = _average(intake[3]), _average(later[-1][3])
        if before is None or after is None:
            continue
        direction = "up" if after > before else "down" if after < before else "same"
        counts[later[-1][0], direction] += 1
    return _additive_table(
        table_id="movement",
        title=_("Self-reliance matrix: movement since the intake"),
        columns=[_("Went up"), _("Stayed the same"), _("Went down")],
        areas=areas,
        counts=[[counts[area.pk, d] for d in directions] for area in areas],
        row_totals=[sum(counts[area.pk, d] for d in directions) for area in areas],
        total_label=_("Households with two assessments"),
        note=_(
            "The same households before and after: the worker's view at the intake and the "
            "latest later one in this period, on the average of all life domains."
        ),
    )


def neighbourhoods_for(team: Team | None) -> list[Area]:
    areas = team.neighbourhoods.all() if team else Area.objects.all()
    return list(areas.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name", "pk"))


def outcome_report(*, period: Period, team: Team | None = None) -> OutcomeReport:
    """Every table of the report, suppressed and ready to show or export."""
    areas = neighbourhoods_for(team)
    area_ids = [area.pk for area in areas]
    tables = [
        _reach(areas, period, area_ids),
        _plans(areas, period, area_ids),
        _steps(areas, period, area_ids),
        _movement(areas, period, area_ids),
    ]
    return OutcomeReport(period=period, team=team, neighbourhoods=areas, tables=tables)
