"""The resident's copy of their data, made by a background job (docs/jobs.md,
docs/data-rights.md).

One step per domain (`export.PARTS`): each step reads that domain's part and stores it on
the request (`DataRequest.parts`) in one transaction with its claim on the job, so a
worker that dies resumes after the last stored part and the end equals a clean run. The
last step writes the JSON and the PDF, marks the request handled and records the one
entry in the access log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from buurtkracht.accounts.models import Role
from buurtkracht.core.jobs import JobRun, job_run, job_start
from buurtkracht.core.models import Job
from buurtkracht.households.models import DataRequest, Person
from buurtkracht.households.rights import (
    current_households,
    data_request_create,
    data_request_export_store,
    data_request_part_store,
)
from buurtkracht.privacy import export
from buurtkracht.privacy.export_pdf import export_pdf

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

JOB_KIND = "privacy.export"


def export_start(*, person: Person, user: User) -> tuple[DataRequest, Job]:
    """The resident asks for a copy: the request (with its deadline) and the job."""
    with transaction.atomic():
        data_request = data_request_create(person=person, user=user, kind=DataRequest.Kind.ACCESS)
        job = job_start(
            kind=JOB_KIND,
            task=export_make,
            started_by=user,
            object_id=data_request.pk,
            total=len(export.PARTS) + 1,
        )
        DataRequest.objects.filter(pk=data_request.pk).update(job=job)
    data_request.job = job
    return data_request, job


@task()
def export_make(job_id: int) -> None:
    job_run(job_id, make_export)


def make_export(run: JobRun) -> str:
    data_request = DataRequest.objects.select_related("person", "requested_by").get(
        pk=run.job.object_id or 0
    )
    url = reverse("audit:my-data")
    total = len(export.PARTS) + 1
    if data_request.ready:
        return url  # made already (a task queued twice)
    person = data_request.person
    for done, (key, function) in enumerate(export.PARTS, start=1):
        if key in data_request.parts:
            continue
        sections = [s.as_dict() for s in function(person, current_households(person))]
        with transaction.atomic():
            run.hold()
            data_request_part_store(data_request=data_request, key=key, sections=sections)
        run.progress(done, total, _("Collecting your data"))
    made_at = timezone.now()
    json_bytes = export.export_json(person, data_request.parts, made_at)
    pdf_bytes = export_pdf(person, data_request.parts, made_at)
    with transaction.atomic():
        run.hold()
        data_request_export_store(
            data_request=data_request, json_bytes=json_bytes, pdf_bytes=pdf_bytes
        )
    run.progress(total, total, _("Your copy is ready"))
    return url


def may_see(user: User, job: Job) -> bool:
    """The privacy officer follows the copies residents asked for."""
    return user.has_role(Role.PRIVACY_OFFICER)
