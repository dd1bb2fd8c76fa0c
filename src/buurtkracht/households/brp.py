"""The register's view of a person, on demand (issue 16, item 2): "Zoek in de BRP" on the
composition page, and the register's view beside the worker's (item 3).

Where the answer comes from (`brp_source`):
- "api": the municipality's BRP through the Haal Centraal client (`core.brp`), when
  `BRP_API_URL` is set;
- "synthetic": the demo and development, where the synthetic municipality's own register
  (the Person table and who lives where) plays the BRP;
- "": switched off; the page says so and the worker types the person in.

Every lookup is logged by the caller (composition page) with `lookup_details`: the
ground, the purpose and legal ground, the kind of question and the terms *minimised*:
a BSN is kept as its last three digits and a keyed hash (so that a privacy officer can
answer "was my number looked up?" without the log showing numbers to its readers), a
surname as its first letter and a keyed hash, a date of birth as its year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db.models import F, Q

from buurtkracht.core.brp import (
    BrpAddress,
    BrpClient,
    BrpPerson,
    brp_configured,
    minimised_terms,
)
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Household, Membership, Person

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

_TOKEN_SECONDS = 15 * 60
_SALT = "buurtkracht.brp-answer"  # a salt, not a secret (SECRET_KEY signs)


def brp_source() -> str:
    if brp_configured():
        return "api"
    return "synthetic" if settings.BRP_SYNTHETIC else ""


@dataclass(frozen=True)
class BrpQuery:
    bsn: str = ""
    surname: str = ""
    date_of_birth: dt.date | None = None
    postcode: str = ""

    @property
    def kind(self) -> str:
        return "bsn" if self.bsn else "name"


def lookup_details(query: BrpQuery, *, source: str, found: int, outcome: str) -> dict[str, Any]:
    """What the audit log keeps of one lookup (module docstring: minimised terms)."""
    terms: dict[str, Any] = {"kind": query.kind}
    if query.bsn:
        terms |= minimised_terms(bsn=query.bsn)
    else:
        terms |= {"birth_year": None} | minimised_terms(
            surname=query.surname,
            date_of_birth=query.date_of_birth,
            postcode=query.postcode,
        )
    return {
        "page": "composition-brp",
        "register": "BRP" if source == "api" else "synthetic register",
        "purpose": settings.BRP_DOELBINDING or "composition of a household",
        "legal_ground": settings.BRP_LEGAL_GROUND,
        "terms": terms,
        "found": found,
        "outcome": outcome,
    }


# --- the synthetic register -----------------------------------------------------------


def _current_address(person: Person, on: dt.date | None = None) -> BrpAddress | None:
    """The synthetic register's one address of a person: the household they have lived in
    longest of those they live in now (a move a worker records here is not yet reported
    to the register)."""
    membership = (
        Membership.objects.filter(in_force(on), person=person)
        .select_related("household__address")
        .order_by(F("start_date").asc(nulls_first=True), "pk")
        .first()
    )
    if membership is None:
        return None
    address = membership.household.address
    return BrpAddress(
        street=address.street,
        house_number=address.house_number,
        house_letter=address.house_letter,
        addition=address.addition,
        postcode=address.postcode.replace(" ", "").upper(),
        town=address.town,
        since=membership.start_date,
    )


def as_brp_person(person: Person) -> BrpPerson:
    """A Person of the synthetic register as the BRP would answer about them."""
    return BrpPerson(
        bsn=person.bsn or "",
        surname=person.surname,
        initials=person.initials,
        given_names=person.given_names,
        surname_prefix=person.surname_prefix,
        birth_surname=person.birth_surname,
        birth_surname_prefix=person.birth_surname_prefix,
        date_of_birth=person.date_of_birth,
        date_of_death=person.date_of_death,
        address=_current_address(person),
    )


def _synthetic(query: BrpQuery) -> list[BrpPerson]:
    persons = Person.objects.filter(date_of_death__isnull=True)
    if query.bsn:
        persons = persons.filter(bsn=query.bsn)
    elif query.surname and query.date_of_birth:
        surname = " ".join(query.surname.split())
        persons = persons.filter(
            Q(surname__iexact=surname) | Q(birth_surname__iexact=surname),
            date_of_birth=query.date_of_birth,
        )
    else:
        return []
    found = [as_brp_person(p) for p in persons.order_by("pk")[:20]]
    wanted = query.postcode.replace(" ", "").upper()
    if wanted:
        found = [p for p in found if p.address and p.address.postcode == wanted]
    return found


# --- the lookup -----------------------------------------------------------------------


def brp_lookup(query: BrpQuery, *, user: User) -> list[BrpPerson]:
    """The register's persons for this question; raises core.brp.BrpError when the BRP
    cannot answer. The caller logs the lookup (lookup_details)."""
    source = brp_source()
    if source == "synthetic":
        return _synthetic(query)
    if source != "api":
        return []
    client = BrpClient()
    if query.bsn:
        return client.by_bsn([query.bsn], user_ref=user.get_username())
    assert query.date_of_birth is not None
    return client.by_name(
        surname=query.surname,
        date_of_birth=query.date_of_birth,
        postcode=query.postcode,
        user_ref=user.get_username(),
    )


def brp_consult(bsns: list[str], *, user: User) -> list[BrpPerson]:
    """The register's view of these persons (by BSN), for the comparison."""
    source = brp_source()
    if source == "synthetic":
        return [as_brp_person(p) for p in Person.objects.filter(bsn__in=bsns)]
    if source != "api" or not bsns:
        return []
    return BrpClient().by_bsn(bsns, user_ref=user.get_username())


def local_subjects(found: list[BrpPerson]) -> list[int]:
    """The residents known here whom the answer is about (by BSN): the log's subjects, so
    that they see the lookup in "who looked at my file"."""
    bsns = [p.bsn for p in found if p.bsn]
    return list(Person.objects.filter(bsn__in=bsns).values_list("pk", flat=True))


# --- the answer, carried to the next step ---------------------------------------------


def answer_token(*, worker: User, household: Household, person: BrpPerson) -> str:
    """A signed, short-lived token with the register's answer about one person, so that
    "use these details" fills the form with what the register said (no second lookup)
    and the change can be recorded as taken from the register."""
    return signing.dumps(
        {"w": worker.pk, "h": household.pk, "p": person.as_dict()}, salt=_SALT, compress=True
    )


def answer_for_token(*, worker: User, household: Household, token: str) -> BrpPerson | None:
    try:
        data = signing.loads(token, salt=_SALT, max_age=_TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != worker.pk or data.get("h") != household.pk:
        return None
    try:
        return BrpPerson.from_dict(data["p"])
    except (KeyError, TypeError, ValueError):
        return None


SOURCE_NAMES = {"api": "BRP", "synthetic": "synthetic register"}


def register_source(*, worker: User, household: Household, data: dict[str, Any]) -> str:
    """Where a new person's details came from, for the audit log: the register (when the
    form was filled from its answer and the worker kept the register's facts), or ""."""
    person = answer_for_token(worker=worker, household=household, token=data.get("register") or "")
    if person is None:
        return ""
    name = SOURCE_NAMES.get(brp_source(), "register")
    kept = (
        (data.get("bsn") or "") == person.bsn
        and data.get("date_of_birth") == person.date_of_birth
        and (data.get("surname") or "").casefold() == person.surname.casefold()
    )
    return name if kept else f"{name}, changed by the worker"


# --- the register's view beside the worker's -------------------------------------------


@dataclass(frozen=True)
class Difference:
    field: str  # "name", "date_of_birth", "address", "death"
    ours: str
    theirs: str
    token: str = ""  # to take the register's value, where that can be done here
    date: dt.date | None = None


def _name(prefix: str, surname: str, given: str, initials: str) -> str:
    first = given or initials
    return " ".join(part for part in (first, prefix, surname) if part)


def differences(
    membership: Membership, register: BrpPerson, *, worker: User, household: Household
) -> list[Difference]:
    """Where the register's view of this member differs from the worker's."""
    person = membership.person
    found: list[Difference] = []

    def token(field: str) -> str:
        return signing.dumps(
            {
                "w": worker.pk,
                "h": household.pk,
                "m": membership.pk,
                "f": field,
                "p": register.as_dict(),
            },
            salt=_SALT + ".take",
            compress=True,
        )

    ours = _name(person.surname_prefix, person.surname, person.given_names, person.initials)
    theirs = _name(
        register.surname_prefix, register.surname, register.given_names, register.initials
    )
    if (
        person.surname.casefold() != register.surname.casefold()
        or person.surname_prefix.casefold() != register.surname_prefix.casefold()
        or (register.given_names and person.given_names != register.given_names)
    ):
        found.append(Difference("name", ours, theirs, token("name")))
    if register.date_of_birth and person.date_of_birth != register.date_of_birth:
        found.append(
            Difference(
                "date_of_birth",
                person.date_of_birth.strftime("%d-%m-%Y") if person.date_of_birth else "",
                register.date_of_birth.strftime("%d-%m-%Y"),
                token("date_of_birth"),
            )
        )
    address = household.address
    here = (
        address.postcode.replace(" ", "").upper(),
        address.house_number,
        address.house_letter.upper(),
        address.addition.upper(),
    )
    if register.address is not None and register.address.door != here:
        since = register.address.since
        found.append(
            Difference(
                "address",
                address.street_line,
                register.address.line,
                token("address") if since else "",
                date=since,
            )
        )
    if register.date_of_death and not person.date_of_death:
        found.append(
            Difference(
                "death",
                "",
                register.date_of_death.strftime("%d-%m-%Y"),
                token("death"),
                date=register.date_of_death,
            )
        )
    return found


def take_for_token(
    *, worker: User, household: Household, token: str
) -> tuple[int, str, BrpPerson] | None:
    """(membership pk, field, the register's answer) of a "take the register's value"."""
    try:
        data = signing.loads(token, salt=_SALT + ".take", max_age=_TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != worker.pk or data.get("h") != household.pk:
        return None
    try:
        return int(data["m"]), str(data["f"]), BrpPerson.from_dict(data["p"])
    except (KeyError, TypeError, ValueError):
        return None
