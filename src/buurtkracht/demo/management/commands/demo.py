"""`manage.py demo`: migrate, fill the synthetic municipality once, print the accounts,
and serve. bin/demo calls this; it is the first thing a newcomer runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from buurtkracht.core.models import Municipality
from buurtkracht.demo.generator import DEMO_PASSWORD, demo_accounts, generate_municipality


class Command(BaseCommand):
    help = "Start the demo: database, synthetic municipality, demo accounts and the web server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on.")
        parser.add_argument(
            "--households", type=int, default=5000, help="Size of the town (default 5,000)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generator.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Throw the SQLite demo database away and generate it anew.",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data, print, and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(
                "The demo refuses to run under production settings: it creates accounts with "
                "a known password. Use DJANGO_SETTINGS_MODULE=buurtkracht.conf.dev."
            )
        if options["reset"]:
            self._reset_sqlite()
        call_command("migrate", interactive=False, verbosity=0)
        if Municipality.objects.exists():
            self.stdout.write("The demo municipality is there already; use --reset for new data.")
            accounts = None
        else:
            self.stdout.write(
                f"Generating the synthetic municipality ({options['households']:,} households)…"
            )
            report = generate_municipality(
                seed=options["seed"], households=options["households"], progress=True
            )
            accounts = report.accounts
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.municipality.name}: {report.households:,} households, "
                    f"{report.persons:,} residents in {report.seconds:.1f} s."
                )
            )
        self._print_accounts(accounts, options["host"], options["port"])
        if not options["no_serve"]:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)

    def _reset_sqlite(self) -> None:
        database = connection.settings_dict
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("--reset only throws away the SQLite demo database, not PostgreSQL.")
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
        self.stdout.write("Old demo database removed.")

    def _print_accounts(self, accounts: list[Any] | None, host: str, port: int) -> None:
        rows = accounts if accounts is not None else demo_accounts()
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        )
        width = max((len(a.username) for a in rows), default=10)
        for account in rows:
            self.stdout.write(f"  {account.username.ljust(width)}  {account.description}")
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Buurtkracht demo: http://{host}:{port}/  (stop with Ctrl+C)")
        )
