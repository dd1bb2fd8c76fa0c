"""The neighbourhood report (issue 7, "Reports for team leaders and policy advisors"):
figures per neighbourhood for a period, optionally for one team.

Reads only. Every figure goes through `outcomes.suppression`, so nothing about fewer than
five households is shown. Nothing is grouped per worker: the report is about what
happens in neighbourhoods, not a ranking of colleagues. The number of queries does not
depend on the number of households: counts are made in the database, one query per
figure kind (movement reads one row per assessment in the period,
to pair it with the intake in Python).

What "in the period" means per figure:
- households reached: households with an intake recorded in the period (withdrawn intakes
  left out), counted once per way in and once in the row total;
- plans started: plans created in the period; plans closed: closed in the period (a
  household has one plan, so these count households);
- goal reached: households whose plan ran during the period and has a goal marked reached;
- four-step order: actions added in the period, by step, as a share of all of them;
  hidden when fewer than five households are behind a figure;
- movement (self-reliance matrix and participation ladder in the worker's view, the own
  scores in the resident's): households with an assessment at intake and a later one held
  in the period; up, the same or down on the stored summary (the average of the items);
- early signals: the signal monitor's reports of the months in the period, by what came of
  them;
- warm referrals: referrals made in the period, by where they stand today (started, not
  started or dropped out, still under way).

A team filter keeps the neighbourhoods the team serves; an area filter one neighbourhood
or the neighbourhoods of one district. Households whose address lies
outside every neighbourhood are not in the report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.casework.models import Action as PlanAction
from buurtkracht.casework.models import Goal, Intake, Plan, Step
from buurtkracht.core.models import Area, Team
from buurtkracht.outcomes.models import Assessment
from buurtkracht.outcomes.stories import ReportStories, report_stories
from buurtkracht.outcomes.suppression import Cell, share, suppress
from buurtkracht.referrals.models import Referral
from buurtkracht.signals.monitor import MonthRange, monitor_rows

# The instruments as shipped in migration 0002.
MATRIX_CODE = "zrm"
LADDER_CODE = "participation_ladder"
OWN_SCORE_CODE = "own_score"

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
    # Whether the last column is the row's total (the columns add up to it).
    row_total: bool = True

    def lines(self, *, as_text: bool = False) -> list[list[Any]]:
        """For the exports: a header, the rows and the total; numbers as numbers for the
        spreadsheets, or (`as_text`) the texts of the page."""
        lines: list[list[Any]] = [[_("Neighbourhood"), *self.columns]]
        for row in [*self.rows, *([self.total] if self.total else [])]:
            values = (figure.text if as_text else figure.export for figure in row.figures)
            lines.append([row.label, *values])
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
    area: Area | None
    neighbourhoods: list[Area]
    tables: list[ReportTable]
    stories: ReportStories


NB = "household__neighbourhood"


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
        row_total=False,
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
        row_totals=[sum(counts[area.pk, d] for d in directions) for area in areas],
        total_label=_("Households with two assessments"),
        note=spec.note,
    )


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
        row_totals=[sum(row) for row in counts],
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
        row_totals=[sum(row) for row in counts],
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
        *(_movement(spec, areas, period, area_ids) for spec in _movement_specs()),
        _signals(areas, period, team),
        _referrals(areas, period, area_ids),
    ]
    stories = report_stories(
        start=period.start, end=period.end, area_ids=area_ids, team=team, area=area
    )
    return OutcomeReport(
        period=period, team=team, area=area, neighbourhoods=areas, tables=tables, stories=stories
    )
