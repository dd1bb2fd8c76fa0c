"""The resident's requests about their data (AVG art. 15 and 16, docs/data-rights.md):
made, answered, and — for a copy — filled in by the background job of the privacy
pages (`privacy/export_job.py`). Writes are `data_request_<action>`, each in a
transaction and in the audit log; the reads follow them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import Role, User
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.months import months_after
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import DataRequest, Household, Involvement, Person
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify

# Who answers a correction asked on a file: the lead worker (or a co-worker) and the
# team leader of the serving team, the grounds on which the file shows the request.
ANSWERING_GROUNDS = (Ground.INVOLVEMENT, Ground.TEAM_LEADER)


def current_households(person: Person) -> list[Household]:
    today = timezone.localdate()
    return list(
        Household.objects.filter(
            in_force(today, prefix="memberships__"), memberships__person=person
        )
        .select_related("address")
        .distinct()
        .order_by("pk")
    )


def privacy_officers() -> list[User]:
    return list(User.objects.filter(role_grants__role=Role.PRIVACY_OFFICER, is_active=True))


def data_request_create(
    *, person: Person, user: User, kind: str, wrong: str = "", should_be: str = ""
) -> DataRequest:
    """A request by the resident `person` (through their account `user`). Its deadline is
    one month from the Amsterdam date it was made. A correction is told to the lead
    worker and the privacy officer (the text names nobody)."""
    now = timezone.now()
    with transaction.atomic():
        data_request = DataRequest.objects.create(
            person=person,
            kind=kind,
            requested_at=now,
            requested_by=user,
            due_on=months_after(timezone.localdate(now)),
            wrong=wrong.strip() if kind == DataRequest.Kind.CORRECTION else "",
            should_be=should_be.strip() if kind == DataRequest.Kind.CORRECTION else "",
        )
        audit_record(
            action=Action.CREATE,
            user=user,
            subjects=[person.pk],
            obj=data_request,
            ground=Ground.OWN_DATA,
            details={"request": kind},
        )
        if kind == DataRequest.Kind.CORRECTION:
            text = gettext_lazy("A resident asks for a correction of their data.")
            for household in current_households(person):
                notify(
                    recipients=[
                        i.worker_id
                        for i in household.involvements.filter(
                            in_force(timezone.localdate()), kind=Involvement.Kind.LEAD
                        )
                    ],
                    kind=Kind.DATA_REQUEST,
                    link=reverse("workspace:household", args=[household.pk]),
                    key=f"data-request:{data_request.pk}:{household.pk}",
                    text=text,
                    actor=user,
                )
            notify(
                recipients=privacy_officers(),
                kind=Kind.DATA_REQUEST,
                link=reverse("audit:data-requests"),
                key=f"data-request:{data_request.pk}",
                text=text,
                actor=user,
            )
    return data_request


def data_request_answer(
    *, data_request: DataRequest, user: User, answer: str, ground: str
) -> DataRequest:
    """Mark a request handled with the answer the resident reads on their page."""
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
        locked.answer = answer.strip()
        locked.status = DataRequest.Status.HANDLED
        locked.handled_by = user
        locked.handled_at = timezone.now()
        locked.save(update_fields=["answer", "status", "handled_by", "handled_at"])
        audit_record(
            action=Action.UPDATE,
            user=user,
            subjects=[locked.person_id],
            obj=locked,
            ground=ground,
            details={"request": locked.kind, "handled": True},
        )
        notify(
            recipients=User.objects.filter(person_id=locked.person_id),
            kind=Kind.DATA_REQUEST,
            link=reverse("audit:my-data"),
            key=f"data-request-answered:{locked.pk}",
            text=gettext_lazy("Your request about your data has an answer."),
            actor=user,
        )
    return locked


def data_request_part_store(
    *, data_request: DataRequest, key: str, sections: list[dict[str, Any]]
) -> None:
    """One finished step of a copy (inzage). Called inside the job's step transaction."""
    locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    locked.parts = {**locked.parts, key: sections}
    locked.save(update_fields=["parts"])
    data_request.parts = locked.parts


def data_request_export_store(
    *, data_request: DataRequest, json_bytes: bytes, pdf_bytes: bytes
) -> None:
    """The finished copy: kept for the resident to download; the request is handled.
    Called inside the job's last step transaction; the one entry in the access log."""
    locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    locked.export_json = json_bytes
    locked.export_pdf = pdf_bytes
    locked.status = DataRequest.Status.HANDLED
    locked.handled_at = timezone.now()
    locked.save(update_fields=["export_json", "export_pdf", "status", "handled_at"])
    audit_record(
        action=Action.EXPORT,
        user=locked.requested_by,
        subjects=[locked.person_id],
        obj=locked,
        ground=Ground.OWN_DATA,
        details={"export": "data of the resident (AVG art. 15)", "sections": len(locked.parts)},
    )


def open_first(requests: QuerySet[DataRequest]) -> QuerySet[DataRequest]:
    """Open requests first, the earliest deadline (so the overdue) on top."""
    return requests.annotate(
        handled=Case(
            When(status=DataRequest.Status.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("handled", "due_on", "pk")


def requests_for_officer(*, handled_days: int = 90) -> QuerySet[DataRequest]:
    """The privacy officer's list: every open request, and those handled recently."""
    since = timezone.now() - dt.timedelta(days=handled_days)
    requests = DataRequest.objects.filter(
        status=DataRequest.Status.OPEN
    ) | DataRequest.objects.filter(handled_at__gte=since)
    return open_first(requests.select_related("person", "handled_by")).defer(
        "export_json", "export_pdf", "parts"
    )


def requests_on_file(household: Household) -> list[DataRequest]:
    """The corrections asked by the household's members today, for the file."""
    members = household.current_memberships().values("person_id")
    return list(
        open_first(
            DataRequest.objects.filter(
                person_id__in=members, kind=DataRequest.Kind.CORRECTION
            ).select_related("person", "handled_by")
        ).defer("export_json", "export_pdf", "parts")
    )


def requests_of(person: Person) -> list[DataRequest]:
    return list(
        DataRequest.objects.filter(person=person)
        .select_related("job", "handled_by")
        .defer("export_json", "export_pdf", "parts")
        .order_by("-requested_at", "-pk")
    )
