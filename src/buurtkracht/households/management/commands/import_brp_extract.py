"""`manage.py import_brp_extract FILE`: bring the residents in step with a register
extract (BRP, JSON Lines, docs/register.md), with a progress bar and a summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from buurtkracht.households.register_import import register_import


class Command(BaseCommand):
    help = "Import the residents from a register extract (BRP, JSON Lines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            default=None,
            help="Date (YYYY-MM-DD) for a move or departure the extract gives no date for; "
            "default today.",
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--show-errors", type=int, default=50, help="How many line errors to print."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        bar = None if options["no_progress"] else tqdm(unit=" persons", desc=path.name)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.update(done - bar.n)

        try:
            with path.open("rb") as lines:
                outcome = register_import(
                    lines, on=options["on"], source=path.name, progress=progress
                )
        finally:
            if bar is not None:
                bar.close()
        c = outcome.counts()
        self.stdout.write(
            f"{c['lines']} lines: {c['new']} new residents ({c['born']} born), "
            f"{c['moved']} moved, {c['died']} died, {c['renamed']} renamed, "
            f"{c['departed']} left the municipality, {c['unchanged']} unchanged, "
            f"{c['set_aside']} set aside."
        )
        self.stdout.write(
            f"Households: {c['households_new']} new, {c['households_ended']} ended "
            "(kept with their history)."
        )
        if c["not_resident"]:
            self.stdout.write(
                f"{c['not_resident']} persons do not live here and were never known here: "
                "not taken in."
            )
        if c["kept_by_worker"]:
            self.stdout.write(
                f"{c['kept_by_worker']} memberships a worker set were left as they are; the "
                "household page shows where the register differs."
            )
        shown = options["show_errors"]
        for row_error in outcome.errors[:shown]:
            self.stdout.write(f"  {row_error}")
        if len(outcome.errors) > shown:
            self.stdout.write(f"  … and {len(outcome.errors) - shown} more (--show-errors).")
