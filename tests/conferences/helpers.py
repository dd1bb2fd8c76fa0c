"""A conference of the personas' team with the personas' household on the agenda."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.casework.services.appointments import local_moment
from buurtkracht.conferences.models import Case, Conference
from buurtkracht.conferences.services import case_add, conference_schedule
from buurtkracht.households.consent import consent_record
from buurtkracht.households.models import Consent, Person
from tests.conftest import Personas

ANONYMISED = "Casus B: gezin met 3 kinderen, schulden"
QUESTION = "Gaan we door met budgetbeheer of vragen we een snelle intake aan?"


def next_week() -> dt.datetime:
    return local_moment(timezone.localdate() + dt.timedelta(days=7), dt.time(10, 0))


def schedule(personas: Personas, *, by: User | None = None) -> Conference:
    """A multidisciplinary conference chaired by the team leader, with the worker and the
    debt bank's outside professional."""
    team = personas.team_leader.team_memberships.get().team
    return conference_schedule(
        team=team,
        kind=Conference.Kind.MULTIDISCIPLINARY,
        starts_at=next_week(),
        place="Wijkcentrum De Linde, zaal 2",
        chair=personas.team_leader,
        participants=[personas.worker, personas.outside_professional],
        user=by or personas.worker,
    )


def bring_case(personas: Personas, conference: Conference) -> Case:
    personas.make_worker_lead()
    return case_add(
        conference=conference,
        household=personas.household,
        anonymised=ANONYMISED,
        question=QUESTION,
        user=personas.worker,
    )


def resident(personas: Personas) -> Person:
    return personas.household.members.get()


def consent_debt_bank(personas: Personas, *, given: bool = True) -> Consent:
    organisation = personas.outside_professional.organisation
    assert organisation is not None
    return consent_record(
        person=resident(personas),
        purpose=Consent.Purpose.SHARE_WITH_ORGANISATION,
        organisation=organisation,
        given=given,
        method=Consent.Method.SPOKEN,
        recorded_by=personas.worker,
    )


def identifying(personas: Personas) -> list[str]:
    """What would name the household: surname, first name, street, postcode, birth date."""
    person = resident(personas)
    address = personas.household.address
    assert person.date_of_birth is not None
    return [
        person.surname,
        person.given_names.split()[0],
        address.street,
        address.postcode,
        person.date_of_birth.strftime("%d-%m-%Y"),
    ]
