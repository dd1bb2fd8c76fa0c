"""`manage.py purge_signals`: remove signal data that led to no help after the retention
period (OutreachSettings.retention_months), keeping anonymous counts for the monitor.
Run it daily (cron or the task scheduler). With --dry-run it only says what would go."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtkracht.signals.retention import signals_purge


class Command(BaseCommand):
    help = "Remove signals that led to no help after the retention period; keep counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show what would be removed."
        )
        parser.add_argument(
            "--today", help="Count the period back from this date (YYYY-MM-DD) instead of today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be a date such as 2026-01-31.") from error
        dry_run = bool(options["dry_run"])
        result = signals_purge(today=today, dry_run=dry_run)
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(
            f"Retention {result.retention_months} months: last signal before "
            f"{result.cut_off:%Y-%m-%d}."
        )
        for month, reports in sorted(result.per_month.items()):
            self.stdout.write(f"  {month:%Y-%m}: {reports} reports")
        summary = (
            f"{result.reports} reports, {result.signals} signals, {result.attempts} contact "
            f"attempts of {len(result.persons)} residents and {result.rejected_rows} rows set "
            f"aside {verb}."
        )
        if dry_run:
            self.stdout.write(summary + " Run without --dry-run to remove them.")
        else:
            self.stdout.write(self.style.SUCCESS(summary))
