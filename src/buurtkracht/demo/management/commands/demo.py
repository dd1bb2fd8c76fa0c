"""`manage.py demo`: migrate, fill the synthetic municipality once, print the accounts,
and serve. bin/demo calls this; it is the first thing a newcomer runs.

Whole or absent (issue 13): on the embedded SQLite default the town is built in a
temporary database file next to the real one, which takes the real one's place only when
the town is complete. A run that fails or is interrupted leaves the previous database (or
none) and its half-built file is thrown away the next time. A finished build is marked
inside the file (SQLite's `user_version`), so a database that a run before this mechanism
left half-built is recognised and the command says so and offers `--reset`. On another
database engine the whole generation runs in one transaction.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from buurtkracht.core.models import Municipality
from buurtkracht.demo.generator import (
    DEMO_PASSWORD,
    GenerationReport,
    demo_accounts,
    generate_municipality,
)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the worker gets SIGTERM when the demo process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_worker() -> subprocess.Popen[bytes]:
    """A `manage.py db_worker` beside the demo's web server: the embedded default needs no
    other server for background work (docs/jobs.md)."""
    return subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--no-reload", "--interval", "1"],
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(0)


# Written into the SQLite file's header when the town in it is complete.
COMPLETE_MARK = 20261207


def _is_sqlite() -> bool:
    return bool(connection.settings_dict["ENGINE"] == "django.db.backends.sqlite3")


def sqlite_remove(path: Path) -> None:
    """Remove an SQLite database file with its write-ahead log and shared memory."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_mark(path: Path) -> int:
    """The file's completion mark (0 for a file that was never marked)."""
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


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
            help="Generate the SQLite demo database anew; the old one is replaced only when "
            "the new town is complete.",
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
        if options["households"] < 1:
            raise CommandError("The number of households must be at least 1.")
        if _is_sqlite():
            report = self._prepare_sqlite(options)
        else:
            report = self._prepare_in_one_transaction(options)
        self._print_accounts(report, options["host"], options["port"])
        if not options["no_serve"]:
            worker = start_worker()
            self.stdout.write(
                f"A background worker (process {worker.pid}) takes in uploads and other "
                "long work; it stops with the demo."
            )
            # Stopped by SIGTERM (a service manager, a test) as by Ctrl+C: the worker goes too.
            signal.signal(signal.SIGTERM, _exit_on_signal)
            try:
                call_command(
                    "runserver", f"{options['host']}:{options['port']}", use_reloader=False
                )
            finally:
                stop_worker(worker)

    # -- SQLite: build in a temporary file, then put it in place --------------------------

    def _prepare_sqlite(self, options: dict[str, Any]) -> GenerationReport | None:
        final = Path(connection.settings_dict["NAME"])
        building = final.with_name(final.name + ".building")
        if building.exists():
            self.stdout.write("A demo build that did not finish was found; it is thrown away.")
            sqlite_remove(building)
        if final.exists() and not options["reset"]:
            connection.close()
            call_command("migrate", interactive=False, verbosity=0)
            if not Municipality.objects.exists():
                self.stdout.write("The demo database is empty; the town is generated anew.")
            elif sqlite_mark(final) != COMPLETE_MARK:
                raise CommandError(
                    f"The demo database {final} holds only part of the town: an earlier run "
                    "stopped before it was complete. Start it anew with: bin/demo --reset"
                )
            else:
                self.stdout.write(
                    "The demo municipality is there already; use --reset for new data."
                )
                return None
        connection.close()
        connection.settings_dict["NAME"] = str(building)
        try:
            report = self._generate(options)
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA user_version = {COMPLETE_MARK}")
                # Fold the write-ahead log into the file, so that one file moves into place.
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
        except BaseException:
            connection.close()
            sqlite_remove(building)
            connection.settings_dict["NAME"] = str(final)
            raise
        sqlite_remove(Path(f"{final}-wal"))
        Path(f"{final}-shm").unlink(missing_ok=True)
        Path(f"{building}-wal").unlink(missing_ok=True)
        Path(f"{building}-shm").unlink(missing_ok=True)
        building.replace(final)
        connection.settings_dict["NAME"] = str(final)
        if options["reset"]:
            self.stdout.write("The old demo database was replaced by the new town.")
        return report

    # -- Other engines: one transaction -----------------------------------------------------

    def _prepare_in_one_transaction(self, options: dict[str, Any]) -> GenerationReport | None:
        if options["reset"]:
            raise CommandError("--reset only replaces the SQLite demo database, not PostgreSQL.")
        call_command("migrate", interactive=False, verbosity=0)
        if Municipality.objects.exists():
            self.stdout.write("The demo municipality is there already.")
            return None
        with transaction.atomic():
            return self._generate(options, migrate=False)

    def _generate(self, options: dict[str, Any], *, migrate: bool = True) -> GenerationReport:
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Generating the synthetic municipality ({options['households']:,} households)…"
        )
        report = generate_municipality(
            seed=options["seed"], households=options["households"], progress=True
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.municipality.name}: {report.households:,} households, "
                f"{report.persons:,} residents in {report.seconds:.1f} s."
            )
        )
        return report

    def _print_accounts(self, report: GenerationReport | None, host: str, port: int) -> None:
        rows = report.accounts if report is not None else demo_accounts()
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
