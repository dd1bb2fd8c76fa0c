"""Counting reports in the database, kept or purged into MonitorCount, per group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from buurtkracht.signals.models import (
    ContactAttempt,
    Report,
    Signal,
)

# Outcomes that mean someone was reached, whatever the attempts say.
REACHED_OUTCOMES = (
    Report.Outcome.ACCEPTED,
    Report.Outcome.DECLINED,
    Report.Outcome.ALREADY_HELPED,
)

# `MonitorCount.attempts` holds kind -> [attempts, reached]; this reserved key holds the
# days to the first attempt as {days: reports}, so the median survives the purge too.
DAYS_KEY = "_first_attempt_days"
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
