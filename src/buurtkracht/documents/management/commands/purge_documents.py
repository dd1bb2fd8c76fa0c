"""`manage.py purge_documents`: remove the documents of files closed longer than the
retention period (BUURTKRACHT_DOCUMENTS_RETENTION_MONTHS), leaving counts and one audit
entry. Run it daily (cron or a systemd timer). With --dry-run it only says what would go."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtkracht.documents.retention import documents_purge


class Command(BaseCommand):
    help = "Remove the documents of files closed longer than the retention period."

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
        result = documents_purge(today=today, dry_run=dry_run)
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(
            f"Retention {result.retention_months} months: files closed before "
            f"{result.cut_off:%Y-%m-%d}."
        )
        summary = (
            f"{result.documents} documents ({result.bytes} bytes) of "
            f"{len(result.households)} households {verb}."
        )
        if dry_run:
            self.stdout.write(summary + " Run without --dry-run to remove them.")
        else:
            self.stdout.write(self.style.SUCCESS(summary))
