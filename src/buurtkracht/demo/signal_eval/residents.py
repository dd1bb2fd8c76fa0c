"""Who the evaluation set is drawn from: everybody living in the municipality on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from buurtkracht.core.queries import in_force
from buurtkracht.demo.signal_eval.rows import Fields
from buurtkracht.households.models import Membership

# Who holds the contracts: main residents and partners far more often than a grown-up
# child living at home.
ROLE_WEIGHTS: dict[str, float] = {
    Membership.Role.HEAD: 3.0,
    Membership.Role.PARTNER: 2.0,
    Membership.Role.HOUSEMATE: 2.0,
    Membership.Role.PARENT: 1.0,
    Membership.Role.OTHER_RELATIVE: 1.0,
    Membership.Role.CHILD: 0.3,
}


@dataclass(frozen=True, slots=True)
class Resident:
    """One person living at an address, as the register has them."""

    person_id: int
    household_id: int
    address_id: int
    role: str
    initials: str
    given_names: str
    surname_prefix: str
    surname: str
    birth_surname_prefix: str
    birth_surname: str
    date_of_birth: dt.date | None
    postcode: str
    house_number: int
    house_letter: str
    addition: str


def residents_on(on: dt.date) -> list[Resident]:
    """Everybody living in the municipality on `on`, sorted by address and name."""
    current = Q(household__end_date__isnull=True) & in_force(on)
    rows = (
        Membership.objects.filter(current)
        .order_by()
        .values_list(
            "person_id",
            "household_id",
            "household__address_id",
            "role",
            "person__initials",
            "person__given_names",
            "person__surname_prefix",
            "person__surname",
            "person__birth_surname_prefix",
            "person__birth_surname",
            "person__date_of_birth",
            "household__address__postcode",
            "household__address__house_number",
            "household__address__house_letter",
            "household__address__addition",
        )
    )
    residents = [Resident(*row) for row in rows]
    residents.sort(
        key=lambda r: (
            r.postcode,
            r.house_number,
            r.house_letter,
            r.addition,
            r.surname,
            r.given_names,
            r.date_of_birth or dt.date.min,
            r.person_id,
        )
    )
    return residents


def age_in_years(date_of_birth: dt.date | None, on: dt.date) -> int:
    """Age on `on`; a resident without a date of birth counts as an adult of 40."""
    if date_of_birth is None:
        return 40
    before = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before


def family_key(prefix: str, surname: str) -> str:
    """The surname as signals.matching compares it, to tell families apart."""
    from buurtkracht.signals.matching import surname_key

    return surname_key(prefix, surname)


def base_row(resident: Resident) -> Fields:
    """The resident's name, date of birth and address exactly as in the register."""
    return {
        "surname_prefix": resident.surname_prefix,
        "surname": resident.surname,
        "initials": resident.initials,
        "given_names": resident.given_names,
        "date_of_birth": resident.date_of_birth,
        "postcode": resident.postcode,
        "house_number": resident.house_number,
        "house_letter": resident.house_letter,
        "addition": resident.addition,
    }


@dataclass(frozen=True, slots=True)
class PastAddress:
    """An address a person lived at before (a membership that ended before the day)."""

    address_id: int
    postcode: str
    house_number: int
    house_letter: str
    addition: str


def past_addresses_on(on: dt.date) -> dict[int, list[PastAddress]]:
    """Per person, the addresses they left before `on` (the register's history)."""
    rows = (
        Membership.objects.filter(end_date__lt=on)
        .order_by()
        .values_list(
            "person_id",
            "household__address_id",
            "household__address__postcode",
            "household__address__house_number",
            "household__address__house_letter",
            "household__address__addition",
        )
    )
    past: dict[int, list[PastAddress]] = {}
    for person_id, address_id, postcode, number, letter, addition in rows:
        past.setdefault(person_id, []).append(
            PastAddress(address_id, postcode, number, letter, addition)
        )
    for addresses in past.values():
        addresses.sort(key=lambda a: (a.postcode, a.house_number, a.house_letter, a.addition))
    return past
