"""`manage.py purge_signals`: remove signal data that led to no help after the retention
period (OutreachSettings.retention_months), keeping anonymous counts for the monitor.
Run it daily (cron or the task scheduler). With --dry-run it only says what would go."""

from __future__ import annotations

import datetime as dt

from buurtkracht.core.retention import PurgeCommand
from buurtkracht.signals.retention import signals_purge


class Command(PurgeCommand):
    help = "Remove signals that led to no help after the retention period; keep counts."

    def purge(self, *, today: dt.date | None, dry_run: bool) -> list[str]:
        result = signals_purge(today=today, dry_run=dry_run)
        verb = "would be removed" if dry_run else "removed"
        return [
            f"Retention {result.retention_months} months: last signal before "
            f"{result.cut_off:%Y-%m-%d}.",
            *(
                f"  {month:%Y-%m}: {reports} reports"
                for month, reports in sorted(result.per_month.items())
            ),
            f"{result.reports} reports, {result.signals} signals, {result.attempts} contact "
            f"attempts of {len(result.persons)} residents and {result.rejected_rows} rows set "
            f"aside {verb}.",
        ]
