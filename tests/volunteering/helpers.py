"""Small helpers for the volunteering tests: a coordinator, a request, consent, a match."""

from __future__ import annotations

from typing import Any

from buurtkracht.accounts.models import Role, User
from buurtkracht.households.consent import Purpose, consent_record
from buurtkracht.households.models import Person
from buurtkracht.volunteering.models import VolunteerRequest
from buurtkracht.volunteering.services import (
    volunteer_name,
    volunteer_request_create,
    volunteer_request_match,
)
from tests import factories
from tests.conftest import Personas


def coordinator() -> User:
    existing = User.objects.filter(username="coordinator").first()
    if existing is not None:
        return existing
    return factories.UserFactory.create(
        username="coordinator",
        first_name="Carla",
        last_name="Coördinator",
        roles=[Role.VOLUNTEER_COORDINATOR],
    )


def resident_of(personas: Personas) -> Person:
    person = personas.household.members.get()
    person.given_names = "Fatma Gül"
    person.surname = "Yılmazoğlu"
    person.phone = "0612345678"
    person.save()
    return person


def ask(personas: Personas, **overrides: Any) -> VolunteerRequest:
    personas.make_worker_lead()
    values: dict[str, Any] = {
        "household": personas.household,
        "person": personas.household.members.get(),
        "kind": VolunteerRequest.Kind.BUDDY,
        "asked": "Samen wandelen op dinsdag, ze houdt van de markt.",
        "share_address": False,
        "share_phone": False,
        "requested_by": personas.worker,
        "ground": "involvement",
    }
    values.update(overrides)
    return volunteer_request_create(**values)


def consent_for(person: Person, volunteer: User, recorded_by: User) -> None:
    consent_record(
        person=person,
        purpose=Purpose.SHARE_WITH_VOLUNTEER,
        given=True,
        method="spoken",
        recorded_by=recorded_by,
        counterpart=volunteer_name(volunteer),
    )


def matched(personas: Personas, **overrides: Any) -> VolunteerRequest:
    vrequest = ask(personas, **overrides)
    consent_for(vrequest.person, personas.volunteer, personas.worker)
    return volunteer_request_match(
        vrequest=vrequest, volunteer=personas.volunteer, matched_by=coordinator()
    )
