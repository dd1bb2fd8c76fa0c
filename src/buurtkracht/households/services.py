"""Writes on households and residents. The household file (a later issue) calls these."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.core.models import Address
from buurtkracht.households.models import EmergencyAccess, Household, Membership, Person

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


def _log_create(
    *, user: User | None, request: HttpRequest | None, obj: Any, subjects: list[int]
) -> None:
    """Creating a resident record is an audit event like reading one (Trust issue)."""
    from buurtkracht.audit.models import Action, Ground
    from buurtkracht.audit.services import audit_record

    audit_record(
        action=Action.CREATE,
        user=user,
        request=request,
        obj=obj,
        subjects=subjects,
        ground=Ground.ROLE,
    )


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
    user: User | None = None,
    request: HttpRequest | None = None,
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
    _log_create(user=user, request=request, obj=person, subjects=[person.pk])
    return person


@transaction.atomic
def household_create(
    *,
    address: Address,
    members: list[tuple[Person, str]],
    start_date: dt.date | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> Household:
    """Register a household at an address with its members and their roles."""
    household = Household.objects.create(address=address, start_date=start_date)
    for person, role in members:
        membership = Membership(
            household=household, person=person, role=role, start_date=start_date
        )
        membership.full_clean()
        membership.save()
    _log_create(user=user, request=request, obj=household, subjects=[p.pk for p, _role in members])
    return household


EMERGENCY_ACCESS_MINUTES = 60
MINIMUM_REASON_LENGTH = 20
# A search hit may be turned into emergency access within this many seconds.
EMERGENCY_TOKEN_SECONDS = 15 * 60
_SIGNING_NAMESPACE = "buurtkracht.emergency-access"  # a salt, not a secret: SECRET_KEY signs


def emergency_token(*, worker: User, household: Household) -> str:
    """A signed token that lets this worker, and only them, request emergency access to
    this household for a short while: what an exact search match hands out."""
    return signing.dumps(
        {"h": household.pk, "w": worker.pk}, salt=_SIGNING_NAMESPACE, compress=True
    )


def household_for_emergency_token(*, worker: User, token: str) -> Household | None:
    try:
        data = signing.loads(token, salt=_SIGNING_NAMESPACE, max_age=EMERGENCY_TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("w") != worker.pk
        or not isinstance(data.get("h"), int)
    ):
        return None
    return Household.objects.filter(pk=data["h"]).first()


@transaction.atomic
def emergency_access_start(
    *, worker: User, household: Household, reason: str, request: HttpRequest | None = None
) -> EmergencyAccess:
    """Open a household file without a regular ground, for a limited time (noodtoegang).

    Only workers and team leaders may; the reason must say why it cannot wait. The access
    is logged as emergency access and lands in the review list of the privacy officer and
    the team leader of the serving team.
    """
    from buurtkracht.accounts.models import Role
    from buurtkracht.audit.models import Action, Ground
    from buurtkracht.audit.services import audit_record

    reason = _clean_text(reason)
    if not (worker.has_role(Role.WORKER) or worker.has_role(Role.TEAM_LEADER)):
        raise PermissionDenied("Only neighbourhood team workers can use emergency access.")
    if len(reason) < MINIMUM_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _(
                    "Write at least %(n)s characters: why do you need this file now, and why "
                    "can it not wait for the household's own worker?"
                )
                % {"n": MINIMUM_REASON_LENGTH}
            }
        )
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        household=household,
        worker=worker,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(minutes=EMERGENCY_ACCESS_MINUTES),
    )
    audit_record(
        action=Action.EMERGENCY_ACCESS,
        user=worker,
        request=request,
        subjects=household.current_member_ids(),
        obj=household,
        ground=Ground.EMERGENCY,
        reason=reason,
        details={"expires_at": access.expires_at.isoformat()},
    )
    emergency_access_notify(access)
    return access


def emergency_access_notify(access: EmergencyAccess) -> None:
    """The team leaders of the teams that serve the household and the privacy officers
    review it: they are told."""
    from buurtkracht.accounts.models import Role
    from buurtkracht.notifications.kinds import Kind
    from buurtkracht.notifications.recipients import holders_of, team_leaders
    from buurtkracht.notifications.services import notify

    neighbourhood = access.household.address.neighbourhood
    teams = list(neighbourhood.teams.values_list("pk", flat=True)) if neighbourhood else []
    notify(
        recipients=[*team_leaders(teams), *holders_of(Role.PRIVACY_OFFICER)],
        kind=Kind.EMERGENCY_ACCESS,
        link=reverse("households:emergency-review", args=[access.pk]),
        key=f"emergency:{access.pk}",
        text=gettext_lazy("A worker opened a file with emergency access."),
        actor=access.worker,
    )


@transaction.atomic
def emergency_access_review(
    *, access: EmergencyAccess, reviewer: User, note: str, request: HttpRequest | None = None
) -> EmergencyAccess:
    """Record the reviewer's judgement of an emergency access. Once only: a judgement is
    not overwritten by a later one, and nobody judges their own use."""
    from buurtkracht.audit.models import Action, Ground
    from buurtkracht.audit.services import audit_record

    if access.worker_id == reviewer.pk:
        raise PermissionDenied("Nobody reviews their own emergency access.")
    updated = EmergencyAccess.objects.filter(pk=access.pk, reviewed_at__isnull=True).update(
        reviewed_by=reviewer, reviewed_at=timezone.now(), review_note=_clean_text(note)
    )
    if not updated:
        raise ValidationError(_("This use of emergency access has been reviewed already."))
    access.refresh_from_db()
    audit_record(
        action=Action.UPDATE,
        user=reviewer,
        request=request,
        subjects=access.household.current_member_ids(),
        obj=access,
        ground=Ground.ROLE,
        details={"review": access.review_note},
    )
    return access
