"""`manage.py db_worker`: the worker of django_tasks_db (run it as a service, docs/jobs.md),
which also queues again the jobs whose worker died: at start and every few seconds it
looks for running jobs with an old heartbeat (`core.jobs.jobs_requeue_stale`)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from buurtkracht.core.jobs import jobs_requeue_stale

logger = logging.getLogger(__name__)


def _sweep() -> None:
    try:
        jobs_requeue_stale()
    except DatabaseError:  # the database is away for a moment: the next sweep tries again
        logger.warning("Could not look for interrupted jobs; trying again shortly.")
    finally:
        connections.close_all()


def _sweep_every(seconds: float, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        _sweep()


class Command(DatabaseWorkerCommand):
    help = (
        "Run a background worker: it runs the queued tasks, and queues again the jobs "
        "whose worker died (an old heartbeat)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        _sweep()
        stop = threading.Event()
        interval = max(1.0, settings.JOBS_STALE_SECONDS / 4)
        threading.Thread(
            target=_sweep_every, args=(interval, stop), name="job-sweeper", daemon=True
        ).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
