"""Removing signal data that led to no help, after the retention period (writes).

The Wet gemeentelijke schuldhulpverlening lets the municipality keep signal data only as
long as it needs it to offer help (and the AVG's storage limitation, art. 5(1)(e), asks the
same). A report that led to no help is removed with its signals and contact attempts once
its last signal is older than the period the municipality sets (default twelve months).
Its figures are first added to the anonymous `MonitorCount`, so the monitor still counts
it. Reports still open, reports where help was accepted and reports that became an intake
are kept: they are part of a file.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from buurtkracht.audit.models import Action
from buurtkracht.audit.services import audit_record
from buurtkracht.signals.models import MatchDecision, MonitorCount, RejectedRow, Report, Signal
from buurtkracht.signals.monitor import Counts, report_counts
from buurtkracht.signals.services import outreach_settings

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

# Reports are handled in chunks, so that no query holds more ids than SQLite allows and
# memory stays flat however many reports go.
CHUNK = 500

GROUP = ("month", "team", "neighbourhood")


@dataclass
class PurgeResult:
    cut_off: dt.date
    retention_months: int
    dry_run: bool = False
    reports: int = 0
    signals: int = 0
    attempts: int = 0
    rejected_rows: int = 0
    decisions: int = 0
    persons: set[int] = field(default_factory=set)
    per_month: Counter[dt.date] = field(default_factory=Counter)  # reports per month

    @property
    def removed_anything(self) -> bool:
        return bool(self.reports or self.rejected_rows or self.decisions)


def retention_cut_off(today: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of that month when it is
    shorter). Data whose last signal lies before this date goes."""
    index = today.year * 12 + today.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def purgeable_reports(cut_off: dt.date) -> Any:
    """Closed reports without accepted help or intake whose last signal is before the
    cut-off. Open reports are never removed: a team is still working on them."""
    return (
        Report.objects.exclude(status=Report.Status.OPEN)
        .exclude(outcome=Report.Outcome.ACCEPTED)
        .filter(intake__isnull=True)
        .annotate(last_signal=Coalesce(Max("signals__signal_date"), F("first_signal_date")))
        .filter(last_signal__lt=cut_off)
    )


def _keep_counts(counts: dict[tuple[Any, ...], Counts]) -> None:
    """Add the counts into `MonitorCount`, one row per month, team and neighbourhood."""
    if not counts:
        return
    existing: dict[tuple[Any, ...], MonitorCount] = {}
    for stored in (
        MonitorCount.objects.select_for_update()
        .filter(month__in={key[0] for key in counts})
        .order_by("pk")
    ):
        existing.setdefault((stored.month, stored.team_id, stored.neighbourhood_id), stored)
    new: list[MonitorCount] = []
    changed: list[MonitorCount] = []
    for (month, team_id, neighbourhood_id), c in counts.items():
        row = existing.get((month, team_id, neighbourhood_id))
        if row is None:
            new.append(
                MonitorCount(
                    month=month,
                    team_id=team_id,
                    neighbourhood_id=neighbourhood_id,
                    signals=c.signals,
                    reports=c.reports,
                    multiple=c.multiple,
                    consecutive=c.consecutive,
                    reached=c.reached,
                    accepted=c.accepted,
                    attempts=c.attempts_json(),
                )
            )
            continue
        total = Counts.from_monitor_count(
            {
                "signals": row.signals,
                "reports": row.reports,
                "multiple": row.multiple,
                "consecutive": row.consecutive,
                "reached": row.reached,
                "accepted": row.accepted,
                "attempts": row.attempts,
            }
        )
        total.add(c)
        row.signals, row.reports = total.signals, total.reports
        row.multiple, row.consecutive = total.multiple, total.consecutive
        row.reached, row.accepted = total.reached, total.accepted
        row.attempts = total.attempts_json()
        changed.append(row)
    MonitorCount.objects.bulk_create(new)
    MonitorCount.objects.bulk_update(
        changed,
        ["signals", "reports", "multiple", "consecutive", "reached", "accepted", "attempts"],
    )


@transaction.atomic
def signals_purge(
    *, today: dt.date | None = None, by: User | None = None, dry_run: bool = False
) -> PurgeResult:
    """Remove the reports that led to no help once their last signal is older than the
    retention period, keeping their figures as anonymous counts; and the rows set aside
    of deliveries older than the period. Logged as one audit event naming the residents
    the removed signals were linked to. `dry_run` counts what would go and changes nothing.
    """
    today = today or timezone.localdate()
    settings = outreach_settings()
    cut_off = retention_cut_off(today, settings.retention_months)
    result = PurgeResult(
        cut_off=cut_off, retention_months=settings.retention_months, dry_run=dry_run
    )

    ids = list(purgeable_reports(cut_off).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        reports = Report.objects.filter(pk__in=chunk)
        counts = report_counts(reports, GROUP)
        for (month, _team, _area), c in counts.items():
            result.reports += c.reports
            result.signals += c.signals
            result.attempts += sum(tried for tried, _reached in c.attempts.values())
            result.per_month[month] += c.reports
        result.persons.update(
            Signal.objects.filter(report__in=chunk, person__isnull=False)
            .order_by()
            .values_list("person_id", flat=True)
            .distinct()
        )
        if not dry_run:
            _keep_counts(counts)
            # Signals and attempts go with their report (on_delete CASCADE).
            reports.delete()

    received_before = timezone.make_aware(dt.datetime.combine(cut_off, dt.time.min))
    rejected = RejectedRow.objects.filter(delivery__received_at__lt=received_before)
    if dry_run:
        result.rejected_rows = rejected.count()
    else:
        result.rejected_rows, _per_model = rejected.delete()
    # The signal officer's remembered decisions hold a name at an address: they go after
    # the same period, counted from the decision (a new signal asks again).
    decisions = MatchDecision.objects.filter(decided_at__lt=received_before)
    if dry_run:
        result.decisions = decisions.count()
    else:
        result.decisions, _per_model = decisions.delete()

    if not dry_run and result.removed_anything:
        audit_record(
            action=Action.DELETE,
            user=by,
            subjects=result.persons,
            reason="retention period for signals (Wgs; AVG art. 5(1)(e))",
            details={
                "purge": "signals after retention",
                "cut_off": cut_off.isoformat(),
                "retention_months": settings.retention_months,
                "reports": result.reports,
                "signals": result.signals,
                "attempts": result.attempts,
                "rejected_rows": result.rejected_rows,
                "match_decisions": result.decisions,
            },
        )
    return result
