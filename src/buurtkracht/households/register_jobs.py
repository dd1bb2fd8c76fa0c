"""A register extract taken in as a background job (docs/register.md, docs/jobs.md).

The functional administrator uploads the extract; the request stores it and starts a job
that runs `register_import`, whose progress shows on the job's page. The import is one
transaction and idempotent, so a worker that dies halfway leaves nothing and the job,
queued again, starts over with the same result; the extract's outcome is written in that
same transaction. The file itself is deleted once taken in.
"""

from __future__ import annotations

import io
import logging
import re
from typing import TYPE_CHECKING, Any

from django.db import InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from buurtkracht.core.jobs import JobFailed, JobRun, Superseded, job_run, job_start
from buurtkracht.core.models import Job
from buurtkracht.households.models import RegisterExtract
from buurtkracht.households.register_import import register_import

if TYPE_CHECKING:
    import datetime as dt

    from buurtkracht.accounts.models import User

logger = logging.getLogger(__name__)
JOB_KIND = "households.register_extract"
ERRORS_KEPT = 50


def extract_submit(*, data: bytes, filename: str, on: dt.date, user: User) -> Job:
    """Store an uploaded extract and start the job that takes it in."""
    with transaction.atomic():
        extract = RegisterExtract.objects.create(
            filename=filename[:255], data=data, on=on, uploaded_by=user
        )
        return job_start(
            kind=JOB_KIND, task=register_extract_take_in, started_by=user, object_id=extract.pk
        )


@task()
def register_extract_take_in(job_id: int) -> None:
    job_run(job_id, take_in_extract)


def take_in_extract(run: JobRun) -> str:
    extract = RegisterExtract.objects.get(pk=run.job.object_id or 0)
    url = reverse("households:register-extract", args=[extract.pk])
    if extract.status != RegisterExtract.Status.WAITING:
        return url  # taken in already (a task queued twice)

    def progress(done: int, total: int) -> None:
        run.progress_during_transaction(
            done, total, _("%(done)s of %(total)s steps") % {"done": done, "total": total}
        )

    try:
        _take_in(run, extract, progress)
    except (OperationalError, InterfaceError, Superseded):
        raise  # queued again: the import starts over (nothing of it was committed)
    except Exception as error:
        logger.exception("Register extract %s stopped", extract.pk)
        message = _(
            "Taking in the extract stopped; nothing of it was applied. The administrator "
            "can see why in the log. Upload the extract again when it is solved."
        )
        RegisterExtract.objects.filter(pk=extract.pk).update(
            status=RegisterExtract.Status.FAILED, message=message, data=b""
        )
        raise JobFailed(message) from error
    run.progress(run.job.total or 1, run.job.total or 1)
    return url


def _take_in(run: JobRun, extract: RegisterExtract, progress: Any) -> None:
    with transaction.atomic():
        outcome = register_import(
            io.BytesIO(bytes(extract.data)),
            on=extract.on,
            user=extract.uploaded_by,
            source=extract.filename,
            progress=progress,
        )
        run.hold()
        extract.status = RegisterExtract.Status.DONE
        extract.counts = outcome.counts()
        extract.errors = [_minimised(str(error)) for error in outcome.errors[:ERRORS_KEPT]]
        extract.data = b""
        extract.save(update_fields=["status", "counts", "errors", "data"])


def _minimised(message: str) -> str:
    """A line's error as the functional administrator sees it: which line and what to fix,
    without the values (a birth date, a BSN): they see no residents (README, trust)."""
    message = re.sub(r"“[^”]*”", "“…”", message)
    return re.sub(r"\b\d{8,9}\b", lambda m: "…" + m.group()[-3:], message)


def may_see(user: User, job: Job) -> bool:
    """Functional administrators follow each other's register imports."""
    return user.has_role("functional_admin")
