"""What every retention command shares (`purge_signals`, `purge_documents`): a daily run
with `--dry-run` to see what would go and `--today` to count the period from another
date, and one way of saying what went. Each domain app says what it removes."""

from __future__ import annotations

import abc
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class PurgeCommand(BaseCommand, metaclass=abc.ABCMeta):
    """A retention command: subclasses implement `purge(today, dry_run)`, which removes
    (or only counts) and returns the lines to print, the last one being the summary."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show what would be removed."
        )
        parser.add_argument(
            "--today", help="Count the period back from this date (YYYY-MM-DD) instead of today."
        )

    @abc.abstractmethod
    def purge(self, *, today: dt.date | None, dry_run: bool) -> list[str]:
        """Remove (or with `dry_run` only count) what the period has passed for, counted
        back from `today` (today if None); the lines to print, the summary last."""

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be a date such as 2026-01-31.") from error
        dry_run = bool(options["dry_run"])
        *lines, summary = self.purge(today=today, dry_run=dry_run)
        for line in lines:
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(summary + " Run without --dry-run to remove them.")
        else:
            self.stdout.write(self.style.SUCCESS(summary))
