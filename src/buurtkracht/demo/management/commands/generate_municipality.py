"""`manage.py generate_municipality`: fill an empty database with the synthetic
municipality of Lindenhoven (see buurtkracht.demo.generator) and print a summary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext

from buurtkracht.demo.generator import DEMO_PASSWORD, generate_municipality


class Command(BaseCommand):
    help = (
        "Generate the synthetic municipality of Lindenhoven: areas, postcodes, addresses, "
        "households, residents, organisations, teams and demo accounts. Same seed, same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Seed (default 1).")
        parser.add_argument(
            "--households",
            type=int,
            default=5000,
            help="Number of households (default 5,000; 500,000 works, in batches).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Households stored per transaction (default 2,000).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_municipality(
                seed=options["seed"],
                households=options["households"],
                batch_size=options["batch_size"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
            )
        except ValueError as exc:  # a size below 1, or a municipality that exists already
            raise CommandError(str(exc)) from exc
        municipality = report.municipality
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "%(name)s (%(code)s): %(households)s households and %(persons)s residents "
                    "in %(seconds).1f s."
                )
                % {
                    "name": municipality.name,
                    "code": municipality.cbs_code,
                    "households": number_format(report.households, force_grouping=True),
                    "persons": number_format(report.persons, force_grouping=True),
                    "seconds": report.seconds,
                }
            )
        )
        self.stdout.write(
            gettext("Demo accounts (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        width = max(len(account.username) for account in report.accounts)
        for account in report.accounts:
            self.stdout.write(f"  {account.username.ljust(width)}  {account.description}")
