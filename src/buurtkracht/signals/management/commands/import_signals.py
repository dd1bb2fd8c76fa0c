"""`manage.py import_signals FILE --partner NAME`: take in a partner's file of signals from
the command line (for a batch a partner sent by secure mail), with a progress bar.

A file with columns that are not recognised is stopped before anything is stored, with
what each column might mean; `--skip-unknown-columns` takes it in without them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from buurtkracht.core.models import Organisation
from buurtkracht.signals.parsing import SignalFileError, UnknownColumnsError
from buurtkracht.signals.services import delivery_receive_file


class Command(BaseCommand):
    help = "Take in a partner's file of signals of payment arrears (CSV or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--partner", required=True, help="The partner organisation's name.")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--skip-unknown-columns",
            action="store_true",
            help="Take the file in without the columns that are not recognised.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        organisation = Organisation.objects.filter(name=options["partner"]).first()
        if organisation is None:
            names = ", ".join(
                Organisation.objects.filter(
                    kind__in=[
                        "housing_corporation",
                        "energy_supplier",
                        "water_company",
                        "health_insurer",
                    ]
                ).values_list("name", flat=True)
            )
            raise CommandError(f"No partner called {options['partner']!r}. Partners: {names}")
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        bar = None if options["no_progress"] else tqdm(unit=" rows", desc=path.name)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.update(done - bar.n)

        try:
            outcome = delivery_receive_file(
                organisation=organisation,
                data=path.read_bytes(),
                filename=path.name,
                progress=progress,
                allow_unknown_columns=options["skip_unknown_columns"],
            )
        except UnknownColumnsError as error:
            raise CommandError(
                f"{error}\nTo take the file in without these columns, run the command again "
                "with --skip-unknown-columns."
            ) from error
        except (SignalFileError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        finally:
            if bar is not None:
                bar.close()
        delivery = outcome.delivery
        if outcome.already_delivered:
            self.stdout.write(
                f"Delivered before on {delivery.received_at:%d-%m-%Y %H:%M}: nothing added."
            )
            return
        self.stdout.write(
            f"{delivery.rows_total} rows: {delivery.rows_valid} taken in, "
            f"{delivery.rows_updated} delivered before with new arrears (taken), "
            f"{delivery.rows_duplicate} delivered before, {delivery.rows_rejected} set aside "
            f"(delivery {delivery.pk})."
        )
        if delivery.ignored_columns:
            self.stdout.write(
                "Columns not used (their values were not taken in): "
                + ", ".join(delivery.ignored_columns)
            )
        if delivery.message:
            self.stdout.write(delivery.message)
        for row in delivery.rejected_rows.all()[:20]:
            messages = "; ".join(e["message"] for e in row.errors)
            self.stdout.write(f"  line {row.line}: {messages}")
