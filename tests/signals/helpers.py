"""Rows as partners send them, about the personas' household: shared by the signals tests."""

from __future__ import annotations

from django.utils import timezone

from buurtkracht.households.models import Person
from tests.conftest import Personas


def resident_of(personas: Personas) -> Person:
    """The one resident of the personas' household."""
    return personas.household.current_memberships().get().person


def signal_row(personas: Personas, ref: str = "R-1", **over: str) -> dict[str, str]:
    """A valid signal row about the personas' resident, dated today; `over` changes fields."""
    person = resident_of(personas)
    address = personas.household.address
    return {
        "partner_reference": ref,
        "signal_date": timezone.localdate().isoformat(),
        "surname": person.surname,
        "surname_prefix": person.surname_prefix,
        "initials": person.initials,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "postcode": address.postcode,
        "house_number": str(address.house_number),
        "amount": "250,00",
        **over,
    }
