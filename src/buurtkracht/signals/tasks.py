"""Background tasks of the signals app (Django's tasks API; docs/jobs.md)."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django_tasks import task

from buurtkracht.core.jobs import JobFailed, JobRun, Superseded, job_run
from buurtkracht.signals.models import Delivery
from buurtkracht.signals.parsing import SignalFileError

logger = logging.getLogger(__name__)


@task()
def delivery_take_in(job_id: int) -> None:
    """Take in a stored delivery (a file from the upload page, a large API batch): read,
    check, match, bundle and route, in committed steps; resumes where it stopped."""
    job_run(job_id, take_in_delivery)


def take_in_delivery(run: JobRun) -> str:
    from buurtkracht.signals.services.deliveries import delivery_process

    delivery = Delivery.objects.select_related("organisation__municipality").get(
        pk=run.job.object_id or 0
    )
    try:
        delivery_process(delivery, run=run)
    except SignalFileError as error:
        raise JobFailed(str(error)) from error
    except (Superseded, OperationalError, InterfaceError):
        raise
    except Exception as error:
        logger.exception("Delivery %s stopped", delivery.pk)
        delivery.refresh_from_db()
        raise JobFailed(delivery.message) from error
    return reverse("signals:delivery", args=[delivery.pk])
