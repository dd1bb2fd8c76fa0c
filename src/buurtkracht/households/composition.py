"""Writes on a household's composition, kept by the worker (issue 16, item 3): add a
person (found in the register, or new), move a member in or out with a date, a birth or a
death, a corrected name, a role. Every change is audited with the ground the worker writes
on; a membership that ends keeps its row with its end date, so the file's history of who
lived here stays."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action
from buurtkracht.core import validators
from buurtkracht.core.queries import not_ended
from buurtkracht.core.validators import DATE_OF_DEATH, MEMBERSHIP_DATE, normalise_bsn
from buurtkracht.core.versioning import version_claim
from buurtkracht.households.models import Household, Membership, Person
from buurtkracht.households.services import _clean_text, person_create

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

_PERSON_TOKEN_SECONDS = 15 * 60
_PERSON_SALT = "buurtkracht.composition-add"  # a salt, not a secret (SECRET_KEY signs)


class DuplicatePerson(ValidationError):
    """The register has this person already (same BSN, or same surname and birth date)."""

    def __init__(self, existing: Person) -> None:
        super().__init__(
            _(
                "This person is already in the register (same BSN, or same surname and date "
                "of birth). Add the existing person instead of creating a second one."
            ),
            code="duplicate_person",
        )
        self.existing = existing


def _first_letter(initials: str, given_names: str) -> str:
    text = (initials or given_names or "").strip()
    return text[:1].upper()


def person_matches(
    *,
    bsn: str = "",
    surname: str = "",
    date_of_birth: dt.date | None = None,
    initials: str = "",
    given_names: str = "",
) -> list[Person]:
    """The persons in the register this could be: the one with this BSN, and those with
    this surname and birth date — except where what is known tells them apart (twins:
    a different first initial, or both a BSN and not the same one)."""
    wanted_bsn = ""
    if bsn and bsn.strip():
        # An invalid BSN matches nobody; person_create refuses it on its field.
        with contextlib.suppress(ValidationError):
            wanted_bsn = normalise_bsn(bsn)
    found: list[Person] = []
    if wanted_bsn:
        found += list(Person.objects.filter(bsn=wanted_bsn))
    if surname.strip() and date_of_birth:
        letter = _first_letter(initials, _clean_text(given_names))
        for person in Person.objects.filter(
            surname__iexact=_clean_text(surname), date_of_birth=date_of_birth
        ).order_by("pk")[:20]:
            if person in found:
                continue
            if wanted_bsn and person.bsn and person.bsn != wanted_bsn:
                continue
            theirs = _first_letter(person.initials, person.given_names)
            if letter and theirs and letter != theirs:
                continue
            found.append(person)
    return found


def person_duplicate(
    *,
    bsn: str = "",
    surname: str = "",
    date_of_birth: dt.date | None = None,
    initials: str = "",
    given_names: str = "",
) -> Person | None:
    """The person in the register this one would duplicate, or None."""
    matches = person_matches(
        bsn=bsn,
        surname=surname,
        date_of_birth=date_of_birth,
        initials=initials,
        given_names=given_names,
    )
    return matches[0] if matches else None


def person_token(*, worker: User, household: Household, person: Person) -> str:
    """A signed, short-lived token that lets this worker add this person, found in the
    register, to this household: no person id in the page to try other ids with."""
    return signing.dumps(
        {"h": household.pk, "w": worker.pk, "p": person.pk},
        salt=_PERSON_SALT,
        compress=True,
    )


def person_for_token(*, worker: User, household: Household, token: str) -> Person | None:
    try:
        data = signing.loads(token, salt=_PERSON_SALT, max_age=_PERSON_TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("w") != worker.pk
        or data.get("h") != household.pk
        or not isinstance(data.get("p"), int)
    ):
        return None
    return Person.objects.filter(pk=data["p"]).first()


def _audit_change(
    *,
    action: str,
    user: User | None,
    request: HttpRequest | None,
    obj: Any,
    subjects: list[int],
    ground: str,
    details: dict[str, Any],
) -> None:
    from buurtkracht.audit.services import audit_record

    audit_record(
        action=action,
        user=user,
        request=request,
        obj=obj,
        subjects=subjects,
        ground=ground,
        details=details,
    )


def _date_error(field: str, value: dt.date, rule: Any) -> None:
    if (message := rule.error(value)) is not None:
        raise ValidationError({field: message})


@transaction.atomic
def membership_add(
    *,
    household: Household,
    person: Person,
    role: str,
    start_date: dt.date,
    user: User | None = None,
    request: HttpRequest | None = None,
    ground: str = "",
    change: str = "moved_in",
    source: str = "",
) -> Membership:
    """Move `person` into `household` from `start_date` in `role`. `source` says where
    the facts came from when not from the worker ("BRP", "synthetic register")."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose the person's role in the household.")})
    _date_error("start_date", start_date, MEMBERSHIP_DATE)
    if person.date_of_birth and start_date < person.date_of_birth:
        raise ValidationError(
            {"start_date": _("A person cannot move in before they were born. Check the date.")}
        )
    if person.date_of_death:
        raise ValidationError(_("This person has died; they cannot move in."))
    if household.memberships.filter(not_ended(), person=person).exists():
        raise ValidationError(_("This person is already a member of this household."))
    membership = Membership(household=household, person=person, role=role, start_date=start_date)
    membership.full_clean()
    membership.save()
    _audit_change(
        action=Action.CREATE,
        user=user,
        request=request,
        obj=membership,
        subjects=[person.pk],
        ground=ground,
        details={
            "change": change,
            "role": role,
            "start_date": start_date.isoformat(),
            **({"source": source} if source else {}),
        },
    )
    return membership


@transaction.atomic
def member_add_new(
    *,
    household: Household,
    role: str,
    start_date: dt.date,
    surname: str,
    initials: str = "",
    given_names: str = "",
    surname_prefix: str = "",
    date_of_birth: dt.date | None = None,
    bsn: str = "",
    user: User | None = None,
    request: HttpRequest | None = None,
    ground: str = "",
    change: str = "moved_in",
    source: str = "",
) -> Membership:
    """Create a person who is not in the register yet and move them in. Refuses a
    duplicate (DuplicatePerson, carrying the existing person) rather than making one.
    A child who lives here from the day they were born is recorded as a birth."""
    existing = person_duplicate(
        bsn=bsn,
        surname=surname,
        date_of_birth=date_of_birth,
        initials=initials,
        given_names=given_names,
    )
    if existing is not None:
        raise DuplicatePerson(existing)
    if role == Membership.Role.CHILD and date_of_birth and start_date == date_of_birth:
        change = "birth"
    person = person_create(
        surname=surname,
        initials=initials,
        given_names=given_names,
        surname_prefix=surname_prefix,
        date_of_birth=date_of_birth,
        bsn=bsn,
        user=user,
        request=request,
    )
    return membership_add(
        household=household,
        person=person,
        role=role,
        start_date=start_date,
        user=user,
        request=request,
        ground=ground,
        change=change,
        source=source,
    )


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    end_date: dt.date,
    user: User | None = None,
    request: HttpRequest | None = None,
    ground: str = "",
    change: str = "moved_out",
    source: str = "",
) -> Membership:
    """Move a member out: the last day they live here. The row stays, with its end date."""
    _date_error("end_date", end_date, MEMBERSHIP_DATE)
    if membership.start_date and end_date < membership.start_date:
        raise ValidationError(
            {"end_date": _("The person cannot move out before they moved in. Check the date.")}
        )
    if membership.end_date is not None and membership.end_date < timezone.localdate():
        raise ValidationError(_("This person has moved out already."))
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    _audit_change(
        action=Action.UPDATE,
        user=user,
        request=request,
        obj=membership,
        subjects=[membership.person_id],
        ground=ground,
        details={
            "change": change,
            "end_date": end_date.isoformat(),
            **({"source": source} if source else {}),
        },
    )
    return membership


@transaction.atomic
def membership_set_role(
    *,
    membership: Membership,
    role: str,
    user: User | None = None,
    request: HttpRequest | None = None,
    ground: str = "",
) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose the person's role in the household.")})
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _audit_change(
        action=Action.UPDATE,
        user=user,
        request=request,
        obj=membership,
        subjects=[membership.person_id],
        ground=ground,
        details={"change": "role", "before": before, "after": role},
    )
    return membership


_NAME_FIELDS = ("initials", "given_names", "surname_prefix", "surname")


@transaction.atomic
def person_correct_name(
    *,
    person: Person,
    surname: str,
    initials: str = "",
    given_names: str = "",
    surname_prefix: str = "",
    user: User | None = None,
    request: HttpRequest | None = None,
    ground: str = "",
    source: str = "",
    expected_version: int | None = None,
) -> Person:
    """Correct how a resident's name is written; the audit log keeps the name before.
    Refuses a name that would make this person a duplicate of another (DuplicatePerson),
    and (ChangedMeanwhile, nothing saved) a correction opened at `expected_version` when
    someone else changed the person since; None (a register import) claims without check."""
    before = {field: getattr(person, field) for field in _NAME_FIELDS}
    given = _clean_text(given_names)
    if not initials and given:
        initials = ".".join(part[0] for part in given.split()) + "."
    person.initials = _clean_text(initials)
    person.given_names = given
    person.surname_prefix = _clean_text(surname_prefix).lower()
    person.surname = _clean_text(surname)
    _refuse_duplicate(person)
    person.full_clean()
    version_claim(person, expected_version)
    person.save(update_fields=list(_NAME_FIELDS))
    after = {field: getattr(person, field) for field in _NAME_FIELDS}
    _audit_change(
        action=Action.UPDATE,
        user=user,
        request=request,
        obj=person,
        subjects=[person.pk],
        ground=ground,
        details={
            "change": "name",
            "before": {k: v for k, v in before.items() if after[k] != v},
            "after": {k: v for k, v in after.items() if before[k] != v},
            **({"source": source} if source else {}),
        },
    )
    return person


def _refuse_duplicate(person: Person) -> None:
    """Raise DuplicatePerson if another person has this one's surname and birth date
    (and no first initial or BSN tells them apart)."""
    for other in person_matches(
        surname=person.surname,
        date_of_birth=person.date_of_birth,
        initials=person.initials,
        given_names=person.given_names,
        bsn=person.bsn or "",
    ):
        if other.pk != person.pk:
            raise DuplicatePerson(other)


@transaction.atomic
def person_correct_birth_date(
    *,
    person: Person,
    date_of_birth: dt.date,
    user: User | None = None,
    request: HttpRequest | None = None,
    ground: str = "",
    source: str = "",
) -> Person:
    """Correct a resident's date of birth (e.g. to the register's); audited with the
    date before. Refused when it would make them a duplicate of another person."""
    _date_error("date_of_birth", date_of_birth, validators.DATE_OF_BIRTH)
    before = person.date_of_birth
    person.date_of_birth = date_of_birth
    _refuse_duplicate(person)
    person.save(update_fields=["date_of_birth"])
    _audit_change(
        action=Action.UPDATE,
        user=user,
        request=request,
        obj=person,
        subjects=[person.pk],
        ground=ground,
        details={
            "change": "date_of_birth",
            "before": before.isoformat() if before else "",
            "after": date_of_birth.isoformat(),
            **({"source": source} if source else {}),
        },
    )
    return person


@transaction.atomic
def person_mark_deceased(
    *,
    person: Person,
    date_of_death: dt.date,
    user: User | None = None,
    request: HttpRequest | None = None,
    ground: str = "",
    source: str = "",
) -> Person:
    """Record a death: the person's memberships that run on or after that day end then."""
    _date_error("date_of_death", date_of_death, DATE_OF_DEATH)
    if person.date_of_birth and date_of_death < person.date_of_birth:
        raise ValidationError(
            {"date_of_death": _("The date of death lies before the date of birth.")}
        )
    if person.date_of_death:
        raise ValidationError(_("A death is recorded for this person already."))
    person.date_of_death = date_of_death
    person.save(update_fields=["date_of_death"])
    for membership in person.memberships.filter(not_ended(date_of_death)):
        membership_end(
            membership=membership,
            end_date=max(date_of_death, membership.start_date or date_of_death),
            user=user,
            request=request,
            ground=ground,
            change="died",
        )
    _audit_change(
        action=Action.UPDATE,
        user=user,
        request=request,
        obj=person,
        subjects=[person.pk],
        ground=ground,
        details={
            "change": "died",
            "date_of_death": date_of_death.isoformat(),
            **({"source": source} if source else {}),
        },
    )
    return person
