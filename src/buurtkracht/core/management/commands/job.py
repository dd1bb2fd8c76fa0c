"""`manage.py job ID`: follow a background job on the command line until it ends."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from buurtkracht.core.jobs import job_status, kind_label
from buurtkracht.core.models import Job


class Command(BaseCommand):
    help = "Show the progress of a background job until it is done (or --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)
        parser.add_argument("--once", action="store_true", help="Print the state and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        job = Job.objects.filter(pk=options["id"]).first()
        if job is None:
            raise CommandError(f"No job {options['id']}.")
        if options["once"]:
            self.stdout.write(f"{kind_label(job)}: {job_status(job)['text']}")
            return
        bar = tqdm(desc=kind_label(job), unit=" rows", total=job.total or None)
        try:
            while True:
                job.refresh_from_db()
                bar.total = job.total or None
                bar.update(job.done - bar.n)
                if job.finished:
                    break
                time.sleep(1)
        finally:
            bar.close()
        self.stdout.write(str(job_status(job)["text"]))
        if job.state == Job.State.FAILED:
            raise CommandError(job.failure)
