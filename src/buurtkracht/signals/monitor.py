"""The signal monitor (monitor vroegsignalering): figures per month, team or neighbourhood
for team leaders, signal officers and policy advisors (reads).

The figures combine the reports still kept with the anonymous counts (`MonitorCount`) that
the retention purge leaves behind, so a month whose signals are gone still counts the same.
Everything is aggregated in the database with a fixed number of queries, whatever the
number of reports.

Small numbers: the page is for policy, not for cases. A figure about fewer than five
reports could point at a household in a small neighbourhood, so such a count is shown as
"<5" and no percentage is computed on fewer than five (the usual CBS practice for
published tables).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.core.models import Area, Team
from buurtkracht.signals.models import (
    ContactAttempt,
    MonitorCount,
    OutreachSettings,
    Report,
    Signal,
)

GroupBy = Literal["month", "team", "neighbourhood"]
GROUPINGS: tuple[GroupBy, ...] = ("month", "team", "neighbourhood")

# Below this number of reports a figure is not shown and no rate is computed.
SMALL = 5
SUPPRESSED = "<5"

# Outcomes that mean someone was reached, whatever the attempts say.
REACHED_OUTCOMES = (
    Report.Outcome.ACCEPTED,
    Report.Outcome.DECLINED,
    Report.Outcome.ALREADY_HELPED,
)

# `MonitorCount.attempts` holds kind -> [attempts, reached]; this reserved key holds the
# days to the first attempt as {days: reports}, so the median survives the purge too.
DAYS_KEY = "_first_attempt_days"

# Public reference figures, shown beside the municipality's own (see the issue): signals per
# 1,000 inhabitants per month, and how often each kind of attempt reaches someone (%).
REFERENCE_PER_1000 = 4
REFERENCE_REACH = {
    ContactAttempt.Kind.LETTER: 6,
    ContactAttempt.Kind.PHONE: 59,
    ContactAttempt.Kind.HOME_VISIT: 46,
}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every first of the month from start's month to end's month, both included."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(first, last + 1)]


def months_back(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def first_month_with_data() -> dt.date | None:
    """The first month of which the municipality has any signal: a report still kept, or
    the counts the retention purge left behind. None before the first signal came in.

    Months before it are not months without signals but months before there was any data:
    the monitor leaves them out instead of showing them as zeros. This is the first month
    of the whole municipality, whatever team or neighbourhood is chosen: after it, a team
    that had no signal in a month really had none, and shows 0."""
    firsts = [
        Report.objects.aggregate(first=Min("month"))["first"],
        MonitorCount.objects.aggregate(first=Min("month"))["first"],
    ]
    known = [month_start(first) for first in firsts if first is not None]
    return min(known) if known else None


def months_with_data(months: Sequence[dt.date], first: dt.date | None) -> list[dt.date]:
    """The months of the period from the first month with data on."""
    if first is None:
        return []
    return [month for month in months if month >= first]


@dataclass(frozen=True)
class MonthRange:
    """From the month of `start` to the month of `end`, both included."""

    start: dt.date
    end: dt.date

    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)


# Counting ------------------------------------------------------------------------------------


@dataclass
class Counts:
    """Additive counts for one group: what live reports and `MonitorCount` rows share."""

    signals: int = 0
    reports: int = 0
    multiple: int = 0
    consecutive: int = 0
    reached: int = 0
    accepted: int = 0
    attempts: dict[str, list[int]] = field(default_factory=dict)  # kind -> [attempts, reached]
    days: dict[int, int] = field(default_factory=dict)  # days to first attempt -> reports

    def add(self, other: Counts) -> None:
        self.signals += other.signals
        self.reports += other.reports
        self.multiple += other.multiple
        self.consecutive += other.consecutive
        self.reached += other.reached
        self.accepted += other.accepted
        for kind, (tried, reached) in other.attempts.items():
            mine = self.attempts.setdefault(kind, [0, 0])
            mine[0] += tried
            mine[1] += reached
        for days, n in other.days.items():
            self.days[days] = self.days.get(days, 0) + n

    def attempts_json(self) -> dict[str, Any]:
        """As stored in `MonitorCount.attempts`."""
        stored: dict[str, Any] = {kind: list(pair) for kind, pair in self.attempts.items()}
        if self.days:
            stored[DAYS_KEY] = {str(days): n for days, n in sorted(self.days.items())}
        return stored

    @classmethod
    def from_monitor_count(cls, row: Mapping[str, Any]) -> Counts:
        stored = dict(row.get("attempts") or {})
        days = stored.pop(DAYS_KEY, {}) or {}
        return cls(
            signals=row["signals"],
            reports=row["reports"],
            multiple=row["multiple"],
            consecutive=row["consecutive"],
            reached=row["reached"],
            accepted=row["accepted"],
            attempts={str(k): [int(v[0]), int(v[1])] for k, v in stored.items()},
            days={int(k): int(v) for k, v in days.items()},
        )


Key = tuple[Any, ...]


def report_counts(reports: QuerySet[Report], keys: Sequence[str]) -> dict[Key, Counts]:
    """The counts of these reports per combination of `keys` (fields of Report: "month",
    "team", "neighbourhood"), in four queries. Shared with the retention purge, so what it
    stores is counted exactly as the monitor counts live reports."""
    keys = list(keys)
    counts: dict[Key, Counts] = defaultdict(Counts)
    reached_attempt = ContactAttempt.objects.filter(report=OuterRef("pk"), reached=True)
    for row in (
        reports.order_by()
        .values(*keys)
        .annotate(
            n=Count("pk"),
            n_multiple=Count("pk", filter=Q(multiple=True)),
            n_consecutive=Count("pk", filter=Q(consecutive=True)),
            n_reached=Count(
                "pk", filter=Q(outcome__in=REACHED_OUTCOMES) | Q(Exists(reached_attempt))
            ),
            n_accepted=Count("pk", filter=Q(outcome=Report.Outcome.ACCEPTED)),
        )
    ):
        c = counts[tuple(row[k] for k in keys)]
        c.reports += row["n"]
        c.multiple += row["n_multiple"]
        c.consecutive += row["n_consecutive"]
        c.reached += row["n_reached"]
        c.accepted += row["n_accepted"]

    ids = reports.values("pk")
    via = [f"report__{k}" for k in keys]
    for row in (
        Signal.objects.filter(report__in=ids).order_by().values(*via).annotate(n=Count("pk"))
    ):
        counts[tuple(row[k] for k in via)].signals += row["n"]

    for row in (
        ContactAttempt.objects.filter(report__in=ids)
        .order_by()
        .values(*via, "kind")
        .annotate(n=Count("pk"), n_reached=Count("pk", filter=Q(reached=True)))
    ):
        pair = counts[tuple(row[k] for k in via)].attempts.setdefault(row["kind"], [0, 0])
        pair[0] += row["n"]
        pair[1] += row["n_reached"]

    # Days from the report's arrival to the first attempt, in calendar days. Dates differ
    # in SQL between PostgreSQL and SQLite, so the subtraction happens here (one row per
    # report with an attempt: two timestamps, no resident data).
    tz = timezone.get_current_timezone()
    for *group, created, first in (
        reports.filter(first_attempt_at__isnull=False)
        .order_by()
        .values_list(*keys, "created_at", "first_attempt_at")
    ):
        days = max(0, (first.astimezone(tz).date() - created.astimezone(tz).date()).days)
        hist = counts[tuple(group)].days
        hist[days] = hist.get(days, 0) + 1
    return dict(counts)


def _median(hist: Mapping[int, int]) -> float | None:
    total = sum(hist.values())
    if not total:
        return None
    lower, upper = (total - 1) // 2, total // 2  # positions of the middle one or two
    found: list[int] = []
    seen = 0
    for days in sorted(hist):
        n = hist[days]
        for position in (lower, upper):
            if seen <= position < seen + n:
                found.append(days)
        seen += n
        if len(found) == 2:
            break
    return sum(found) / 2


# Figures -------------------------------------------------------------------------------------

FigureKind = Literal["count", "percent", "per_1000", "days"]


@dataclass(frozen=True)
class Figure:
    """One number as shown: `value` None means not shown, for `reason` "small" (about fewer
    than five reports) or "none" (nothing to compute: no reports, no inhabitants known)."""

    value: float | int | None
    kind: FigureKind = "count"
    reason: Literal["", "small", "none"] = ""

    @property
    def suppressed(self) -> bool:
        return self.reason == "small"

    def __str__(self) -> str:
        if self.value is None:
            return SUPPRESSED if self.suppressed else "—"
        if self.kind == "count":
            return formats.number_format(self.value, use_l10n=True, force_grouping=True)
        if self.kind == "percent":
            return f"{formats.number_format(self.value, 0, use_l10n=True)}%"
        if self.kind == "days" and float(self.value).is_integer():
            return formats.number_format(int(self.value), use_l10n=True)
        return formats.number_format(self.value, 1, use_l10n=True)

    def export(self) -> float | int | str:
        """For CSV and XLSX: the number itself, "<5", or empty."""
        if self.value is None:
            return SUPPRESSED if self.suppressed else ""
        if self.kind == "count":
            return int(self.value)
        return round(float(self.value), 1)


def count_figure(n: int) -> Figure:
    if 0 < n < SMALL:
        return Figure(None, "count", "small")
    return Figure(n, "count")


def share_figure(part: int, whole: int) -> Figure:
    """part / whole in percent; not computed on fewer than five."""
    if whole == 0:
        return Figure(None, "percent", "none")
    if whole < SMALL:
        return Figure(None, "percent", "small")
    return Figure(100 * part / whole, "percent")


@dataclass(frozen=True)
class AttemptFigures:
    kind: str
    label: str
    attempts: Figure
    reached: Figure
    reach_rate: Figure
    reference: int | None


@dataclass
class MonitorRow:
    """One line of the monitor: a month, a team or a neighbourhood."""

    key: Any
    label: str
    counts: Counts
    inhabitants: int | None  # of the area the row covers; None when unknown
    months: int  # months the row covers, for signals per 1,000 inhabitants per month

    @property
    def signals(self) -> Figure:
        # Signals are about reports: hidden as long as the reports are.
        if 0 < self.counts.reports < SMALL:
            return Figure(None, "count", "small")
        return count_figure(self.counts.signals)

    @property
    def reports(self) -> Figure:
        return count_figure(self.counts.reports)

    @property
    def multiple(self) -> Figure:
        return count_figure(self.counts.multiple)

    @property
    def consecutive(self) -> Figure:
        return count_figure(self.counts.consecutive)

    @property
    def reached(self) -> Figure:
        return count_figure(self.counts.reached)

    @property
    def accepted(self) -> Figure:
        return count_figure(self.counts.accepted)

    @property
    def signals_per_1000(self) -> Figure:
        """Signals per 1,000 inhabitants per month (the reference is about 4)."""
        if 0 < self.counts.reports < SMALL:
            return Figure(None, "per_1000", "small")
        if not self.inhabitants or not self.months:
            return Figure(None, "per_1000", "none")
        return Figure(1000 * self.counts.signals / self.inhabitants / self.months, "per_1000")

    @property
    def share_multiple(self) -> Figure:
        """Share of reports with signals from more than one partner or contract."""
        return share_figure(self.counts.multiple, self.counts.reports)

    @property
    def share_consecutive(self) -> Figure:
        """Share of reports with a signal at the address in the previous six months."""
        return share_figure(self.counts.consecutive, self.counts.reports)

    @property
    def contact_rate(self) -> Figure:
        """Share of reports in which someone was reached."""
        return share_figure(self.counts.reached, self.counts.reports)

    @property
    def acceptance_rate(self) -> Figure:
        """Share of the households reached that accepted help."""
        return share_figure(self.counts.accepted, self.counts.reached)

    @property
    def first_attempts(self) -> int:
        return sum(self.counts.days.values())

    @property
    def median_days(self) -> Figure:
        """Median calendar days from a report's arrival to the first attempt."""
        n = self.first_attempts
        if n == 0:
            return Figure(None, "days", "none")
        if n < SMALL:
            return Figure(None, "days", "small")
        return Figure(_median(self.counts.days), "days")

    def attempt_figures(self, kinds: Iterable[str]) -> list[AttemptFigures]:
        labels = dict(ContactAttempt.Kind.choices)
        figures = []
        for kind in kinds:
            tried, reached = self.counts.attempts.get(kind, (0, 0))
            figures.append(
                AttemptFigures(
                    kind=kind,
                    label=str(labels.get(kind, kind)),
                    attempts=count_figure(tried),
                    reached=count_figure(reached),
                    reach_rate=share_figure(reached, tried),
                    reference=REFERENCE_REACH.get(kind),  # type: ignore[call-overload]
                )
            )
        return figures


def attempt_kinds(rows: Iterable[MonitorRow]) -> list[str]:
    """The kinds of attempt that occur in these rows, in the order of the choices."""
    used = {kind for row in rows for kind in row.counts.attempts}
    return [kind for kind in ContactAttempt.Kind.values if kind in used]


# The monitor ---------------------------------------------------------------------------------

_FIELD: dict[str, str] = {"month": "month", "team": "team", "neighbourhood": "neighbourhood"}


def _month_list(months: Sequence[dt.date] | MonthRange) -> list[dt.date]:
    if isinstance(months, MonthRange):
        return months.months()
    return sorted({month_start(m) for m in months})


def _scope(
    months: list[dt.date],
    team_id: int | None,
    neighbourhood_id: int | None,
    neighbourhood_ids: Sequence[int] | None = None,
) -> dict[str, Any]:
    scope: dict[str, Any] = {"month__in": months}
    if team_id:
        scope["team"] = team_id
    if neighbourhood_id:
        scope["neighbourhood"] = neighbourhood_id
    if neighbourhood_ids is not None:
        scope["neighbourhood__in"] = list(neighbourhood_ids)
    return scope


def _area_inhabitants(team_id: int | None, neighbourhood_id: int | None) -> int:
    """Inhabitants of the neighbourhood, of the team's neighbourhoods, or of all of them."""
    areas = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD)
    if neighbourhood_id:
        areas = areas.filter(pk=neighbourhood_id)
    elif team_id:
        areas = areas.filter(teams=team_id)
    return int(areas.aggregate(n=Sum("inhabitants"))["n"] or 0)


def monitor_rows(
    *,
    months: Sequence[dt.date] | MonthRange,
    team_id: int | None = None,
    neighbourhood_id: int | None = None,
    neighbourhood_ids: Sequence[int] | None = None,
    group_by: GroupBy = "month",
) -> list[MonitorRow]:
    """The monitor's rows for the period, optionally for one team and/or neighbourhood (or
    a set of neighbourhoods, for the outcome report),
    grouped per month (every month of the period, also empty ones), per team or per
    neighbourhood (those in scope, and those with data). Live reports and the counts kept
    after the purge are added together."""
    if group_by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {group_by!r}")
    month_list = _month_list(months)
    scope = _scope(month_list, team_id, neighbourhood_id, neighbourhood_ids)
    key_field = _FIELD[group_by]

    counts: dict[Any, Counts] = defaultdict(Counts)
    for (key,), c in report_counts(Report.objects.filter(**scope), [key_field]).items():
        counts[key].add(c)
    for row in MonitorCount.objects.filter(**scope).values(
        key_field,
        "signals",
        "reports",
        "multiple",
        "consecutive",
        "reached",
        "accepted",
        "attempts",
    ):
        counts[row[key_field]].add(Counts.from_monitor_count(row))

    if group_by == "month":
        inhabitants = _area_inhabitants(team_id, neighbourhood_id)
        return [
            MonitorRow(
                key=month,
                label=formats.date_format(month, "YEAR_MONTH_FORMAT"),
                counts=counts.get(month, Counts()),
                inhabitants=inhabitants,
                months=1,
            )
            for month in month_list
        ]

    known = {k for k in counts if k is not None}
    rows: list[MonitorRow] = []
    if group_by == "team":
        teams = Team.objects.all()
        if team_id:
            teams = teams.filter(pk=team_id)
        elif neighbourhood_id:
            teams = teams.filter(neighbourhoods=neighbourhood_id)
        override = _area_inhabitants(None, neighbourhood_id) if neighbourhood_id else None
        found = (
            Team.objects.filter(Q(pk__in=teams.values("pk")) | Q(pk__in=known))
            .annotate(
                n_inhabitants=Sum(
                    "neighbourhoods__inhabitants",
                    filter=Q(neighbourhoods__kind=Area.Kind.NEIGHBOURHOOD),
                )
            )
            .values_list("pk", "name", "n_inhabitants")
        )
        rows = [
            MonitorRow(
                key=pk,
                label=name,
                counts=counts.get(pk, Counts()),
                inhabitants=override if override is not None else n,
                months=len(month_list),
            )
            for pk, name, n in found
        ]
        unknown = _("No team")
    else:
        areas = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD)
        if neighbourhood_id:
            areas = areas.filter(pk=neighbourhood_id)
        elif team_id:
            areas = areas.filter(teams=team_id)
        found_areas = Area.objects.filter(
            Q(pk__in=areas.values("pk")) | Q(pk__in=known)
        ).values_list("pk", "name", "inhabitants")
        rows = [
            MonitorRow(
                key=pk,
                label=name,
                counts=counts.get(pk, Counts()),
                inhabitants=n,
                months=len(month_list),
            )
            for pk, name, n in found_areas
        ]
        unknown = _("Neighbourhood unknown")
    rows.sort(key=lambda r: r.label.casefold())
    if None in counts:
        rows.append(
            MonitorRow(
                key=None,
                label=unknown,
                counts=counts[None],
                inhabitants=None,
                months=len(month_list),
            )
        )
    return rows


def total_row(rows: Sequence[MonitorRow], *, group_by: GroupBy) -> MonitorRow:
    """All rows together. Per month the rows share one area, so the inhabitants are those
    of one row over all months; per team or neighbourhood the areas add up over one
    period."""
    counts = Counts()
    for row in rows:
        counts.add(row.counts)
    if group_by == "month":
        inhabitants = rows[0].inhabitants if rows else None
        months = sum(row.months for row in rows)
    else:
        inhabitants = sum(row.inhabitants or 0 for row in rows) or None
        months = rows[0].months if rows else 0
    return MonitorRow(
        key="total", label=_("Total"), counts=counts, inhabitants=inhabitants, months=months
    )


# The cost picture ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CostPicture:
    """An estimate, not an outcome: what prevention could save if every household that
    accepted help would otherwise have been evicted. Not every one would have been, so the
    amount is an upper bound. The amounts per household are the municipality's settings
    (defaults from the Woonkracht lab)."""

    households: Figure
    eviction_cost_corporation: int
    eviction_cost_society: int
    prevention_cost: int
    saving_per_household: int
    possible_savings: int | None  # None when not shown (fewer than five households)
    corporation_costs_avoided: int | None

    @property
    def shown(self) -> bool:
        return self.possible_savings is not None


def cost_picture(rows: Iterable[MonitorRow], settings: OutreachSettings) -> CostPicture:
    accepted = sum(row.counts.accepted for row in rows)
    per_household = settings.eviction_cost_society - settings.prevention_cost
    shown = not (0 < accepted < SMALL)
    return CostPicture(
        households=count_figure(accepted),
        eviction_cost_corporation=settings.eviction_cost_corporation,
        eviction_cost_society=settings.eviction_cost_society,
        prevention_cost=settings.prevention_cost,
        saving_per_household=per_household,
        possible_savings=accepted * per_household if shown else None,
        corporation_costs_avoided=(
            accepted * settings.eviction_cost_corporation if shown else None
        ),
    )
