"""Data rights in Lindenhoven (docs/data-rights.md): the resident of story 1 (`bewoner`)
downloaded a copy of their data twelve days ago and asked for a correction five days ago
(their lead worker and the privacy officer see it open); an earlier correction of theirs
has waited longer than the legal month, so the privacy officer's list starts with it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.core.jobs import job_run
from buurtkracht.core.models import Job
from buurtkracht.core.months import months_after
from buurtkracht.demo.clock import days_ago
from buurtkracht.households.models import DataRequest, Household, Person
from buurtkracht.households.rights import data_request_create
from buurtkracht.privacy import export
from buurtkracht.privacy.export_job import JOB_KIND, export_make, make_export


def _backdate(data_request: DataRequest, moment: dt.datetime, *, handled: bool) -> None:
    changes: dict[str, object] = {
        "requested_at": moment,
        "due_on": months_after(timezone.localdate(moment)),
    }
    if handled:
        changes["handled_at"] = moment + dt.timedelta(minutes=1)
    DataRequest.objects.filter(pk=data_request.pk).update(**changes)


def data_rights_demo_create(*, resident_household: Household | None) -> None:
    resident = User.objects.filter(username="bewoner").select_related("person").first()
    if resident is None or resident.person is None:
        return
    person: Person = resident.person
    with transaction.atomic():
        copy = data_request_create(person=person, user=resident, kind=DataRequest.Kind.ACCESS)
        job = Job.objects.create(
            kind=JOB_KIND,
            object_id=copy.pk,
            started_by=resident,
            total=len(export.PARTS) + 1,
            task_path=export_make.module_path,
        )
        DataRequest.objects.filter(pk=copy.pk).update(job=job)
    # Made here and now, as a worker would have made it then.
    job_run(job.pk, make_export)
    _backdate(copy, days_ago(12, 19, 40), handled=True)
    correction = data_request_create(
        person=person,
        user=resident,
        kind=DataRequest.Kind.CORRECTION,
        wrong="Mijn telefoonnummer in het dossier is mijn oude nummer.",
        should_be="Mijn nieuwe nummer is 06 00 00 00 17.",
    )
    _backdate(correction, days_ago(5, 21, 15), handled=False)
    # An earlier question that has waited longer than the legal month: the privacy
    # officer's list starts with it, marked overdue.
    late = data_request_create(
        person=person,
        user=resident,
        kind=DataRequest.Kind.CORRECTION,
        wrong="Bij mijn gesprek staat dat ik geen werk heb. Ik werk twee dagen in de week.",
        should_be="Ik werk twee dagen in de week bij de bakker.",
    )
    _backdate(late, days_ago(38, 11, 0), handled=False)
