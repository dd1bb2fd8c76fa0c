"""`django-admin import_hsds FILE`: read a social map in HSDS 3 JSON (see socialmap.hsds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtkracht.socialmap import hsds
from buurtkracht.socialmap.services import hsds_import


class Command(BaseCommand):
    help = (
        "Import a social map in Open Referral HSDS 3 JSON; valid objects are kept, the rest listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = hsds_import(raw=path.read_bytes())
        except hsds.ImportError_ as error:
            raise CommandError(str(error)) from None
        for problem in result.errors:
            self.stderr.write(problem)
        self.stdout.write(
            f"{result.organizations} organizations, {result.services_created} services created, "
            f"{result.services_updated} updated, {len(result.errors)} left out."
        )
