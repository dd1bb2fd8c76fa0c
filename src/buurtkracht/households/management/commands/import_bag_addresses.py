"""`manage.py import_bag_addresses FILE`: bring the municipality's addresses in step with a
CSV of BAG nummeraanduidingen (docs/register.md), with a progress bar and a summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from buurtkracht.core.bag import AddressFileError, address_file_read
from buurtkracht.households.bag_import import addresses_import


class Command(BaseCommand):
    help = "Import the municipality's addresses from a CSV of BAG nummeraanduidingen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--withdrawn-on",
            type=dt.date.fromisoformat,
            default=None,
            help="Date (YYYY-MM-DD) to record on withdrawn addresses; default today.",
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--show-errors", type=int, default=50, help="How many row errors to print."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            rows, errors = address_file_read(path.read_bytes())
        except AddressFileError as error:
            raise CommandError(str(error)) from error
        bar = None if options["no_progress"] else tqdm(unit=" rows", desc=path.name)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.update(done - bar.n)

        try:
            outcome = addresses_import(
                rows,
                errors=errors,
                on=options["withdrawn_on"],
                source=path.name,
                progress=progress,
            )
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            f"{outcome.rows} rows: {outcome.new} new, {outcome.changed} changed, "
            f"{outcome.withdrawn} withdrawn, {outcome.unchanged} unchanged, "
            f"{outcome.set_aside} set aside."
        )
        if outcome.withdrawn_unknown:
            self.stdout.write(
                f"{outcome.withdrawn_unknown} withdrawn addresses were never known here: "
                "not created."
            )
        if outcome.unplaced:
            self.stdout.write(
                f"{outcome.unplaced} addresses lie in no neighbourhood: give their buurtcode "
                "or extend the postcode table."
            )
        shown = options["show_errors"]
        for row_error in outcome.errors[:shown]:
            self.stdout.write(f"  {row_error}")
        if len(outcome.errors) > shown:
            self.stdout.write(f"  … and {len(outcome.errors) - shown} more (--show-errors).")
