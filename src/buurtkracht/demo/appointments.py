"""Appointments in the demo (docs/appointments.md): `wijkwerker` has home visits,
conversations and a review in the coming days, one of them cancelled, so Mijn werk's
"today and tomorrow" list, the household file and the calendar feed have something to
show; story 1's household had a home visit last week.

Planned moments lie from tomorrow on (`demo.clock.days_ahead`) and past ones before now
(`days_ago`), whatever the hour the demo is generated at."""

from __future__ import annotations

import datetime as dt

from buurtkracht.accounts.models import User
from buurtkracht.casework.models import Appointment
from buurtkracht.casework.queries import involved_workers
from buurtkracht.casework.services import appointment_cancel, appointment_plan
from buurtkracht.demo.clock import days_ago, days_ahead
from buurtkracht.households.models import Household, Involvement

OFFICE = "Wijkcentrum De Linde, Lindelaan 1"

# (days ahead, hour, kind, place, with others, note); one per household led, in turn.
PLANNED = (
    (1, 10, Appointment.Kind.HOME_VISIT, Appointment.Place.HOME, "", "Post samen doornemen."),
    (1, 14, Appointment.Kind.CONVERSATION, Appointment.Place.OFFICE, "", ""),
    (2, 11, Appointment.Kind.REVIEW, Appointment.Place.HOME, "zus Els", "Evaluatie van het plan."),
    (3, 9, Appointment.Kind.HOME_VISIT, Appointment.Place.HOME, "", ""),
    (4, 15, Appointment.Kind.CONVERSATION, Appointment.Place.OFFICE, "", ""),
    (6, 10, Appointment.Kind.HOME_VISIT, Appointment.Place.HOME, "", ""),
)


def _plan(
    household: Household,
    worker: User,
    starts_at: dt.datetime,
    kind: str,
    place: str,
    with_others: str = "",
    note: str = "",
) -> Appointment:
    workers = involved_workers(household)
    return appointment_plan(
        household=household,
        user=worker,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at.astimezone(dt.UTC) + dt.timedelta(hours=1),
        place=place,
        place_text=OFFICE if place == Appointment.Place.OFFICE else "",
        workers=[worker],
        allowed_workers=[pk for pk, _name in workers],
        with_others=with_others,
        note=note,
    )


def appointments_demo_create(*, resident_household: Household | None) -> dict[str, int]:
    """Story 1's past home visit, and `wijkwerker`'s coming appointments."""
    worker = User.objects.filter(username="wijkwerker").first()
    if worker is None:
        return {"appointments": 0}
    count = 0
    if resident_household is not None:
        lead = (
            Involvement.objects.filter(
                household=resident_household, kind=Involvement.Kind.LEAD, end_date__isnull=True
            )
            .select_related("worker")
            .first()
        )
        if lead is not None and lead.worker is not None:
            _plan(
                resident_household,
                lead.worker,
                days_ago(6, 10),
                Appointment.Kind.HOME_VISIT,
                Appointment.Place.HOME,
                note="Eerste huisbezoek: huur- en energieachterstand besproken.",
            )
            count += 1
    led = list(
        Household.objects.filter(
            involvements__worker=worker,
            involvements__kind=Involvement.Kind.LEAD,
            involvements__end_date__isnull=True,
        ).order_by("pk")
    )
    for household, (days, hour, kind, place, others, note) in zip(led, PLANNED, strict=False):
        appointment = _plan(household, worker, days_ahead(days, hour), kind, place, others, note)
        count += 1
        if days == 3:
            appointment_cancel(
                appointment=appointment,
                user=worker,
                reason="Bewoner belde af: dochter is ziek. Volgende week opnieuw.",
            )
    return {"appointments": count}
