"""Writes on households and residents. The household file (a later issue) calls these."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db import transaction

from buurtkracht.core.models import Address
from buurtkracht.households.models import Household, Membership, Person


def _clean_text(value: str) -> str:
    """NFC-normalise and trim, so that 'ë' typed on a phone matches 'ë' from a file."""
    return unicodedata.normalize("NFC", value or "").strip()


@transaction.atomic
def person_create(
    *,
    surname: str,
    initials: str = "",
    given_names: str = "",
    surname_prefix: str = "",
    birth_surname: str = "",
    birth_surname_prefix: str = "",
    date_of_birth: dt.date | None = None,
    bsn: str = "",
    phone: str = "",
    email: str = "",
) -> Person:
    """Register a resident. Only the surname is needed: the work itself decides what else
    is worth asking (PRODUCT.md: no mandatory field the work does not need).

    Raises ValidationError with a message per field that is wrong.
    """
    given = _clean_text(given_names)
    if not initials and given:
        initials = ".".join(part[0] for part in given.split()) + "."
    person = Person(
        initials=_clean_text(initials),
        given_names=given,
        surname_prefix=_clean_text(surname_prefix).lower(),
        surname=_clean_text(surname),
        birth_surname=_clean_text(birth_surname),
        birth_surname_prefix=_clean_text(birth_surname_prefix).lower(),
        date_of_birth=date_of_birth,
        bsn=_clean_text(bsn) or None,
        phone=_clean_text(phone),
        email=_clean_text(email),
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def household_create(
    *,
    address: Address,
    members: list[tuple[Person, str]],
    start_date: dt.date | None = None,
) -> Household:
    """Register a household at an address with its members and their roles."""
    household = Household.objects.create(address=address, start_date=start_date)
    for person, role in members:
        membership = Membership(
            household=household, person=person, role=role, start_date=start_date
        )
        membership.full_clean()
        membership.save()
    return household
