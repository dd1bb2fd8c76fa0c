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

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Address, Organisation
from buurtkracht.households.consent import ConsentMissing, Purpose, consent_require
from buurtkracht.households.grants import file_grant, file_grant_ground
from buurtkracht.households.models import (
    EmergencyAccess,
    GrantPath,
    Household,
    Involvement,
    Membership,
    OutsideProfessional,
    Person,
)
from buurtkracht.households.queries import co_worker_candidates

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


# --- Who else is involved (één gezin, één plan) -----------------------------------------
#
# Co-workers are a grant of access to the file, so they go through `grants.file_grant`:
# only the household's lead worker and the leader of a serving team add or end them.
# Outside professionals get no access to anything here; they are on the file so that
# everyone sees who else is there, and whether the resident's data may go to them is
# what the consent register decides.


def _log_involved(
    *,
    action: str,
    user: User,
    household: Household,
    obj: Any,
    ground: str,
    request: HttpRequest | None,
    details: dict[str, Any],
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        subjects=household.current_member_ids(),
        obj=obj,
        ground=ground,
        details=details,
    )


@transaction.atomic
def co_worker_add(
    *, household: Household, worker: User, by: User, request: HttpRequest | None = None
) -> Involvement:
    """Make `worker`, a colleague of a team serving the household, its co-worker from
    today: they read the file on the ground of their involvement. Only the lead worker and
    the team leader (PermissionDenied otherwise)."""
    ground, _team = file_grant_ground(by=by, household=household)
    if not co_worker_candidates(household).filter(pk=worker.pk).exists():
        raise ValidationError(
            {"worker": _("Choose a colleague from the team who is not yet involved.")}
        )
    involvement = file_grant(
        household=household,
        worker=worker,
        kind=Involvement.Kind.CO_WORKER,
        via=GrantPath.ON_FILE,
        by=by,
    )
    _log_involved(
        action=AuditAction.CREATE,
        user=by,
        household=household,
        obj=involvement,
        ground=ground,
        request=request,
        details={"co_worker": {"added": worker.get_username()}},
    )
    return involvement


@transaction.atomic
def co_worker_end(
    *, involvement: Involvement, by: User, request: HttpRequest | None = None
) -> Involvement:
    """End a co-worker's involvement: it ends yesterday, so that their access through it
    ends at once. Kept, never deleted. Only the lead worker and the team leader."""
    household = involvement.household
    ground, _team = file_grant_ground(by=by, household=household)
    today = timezone.localdate()
    if involvement.kind != Involvement.Kind.CO_WORKER:
        raise ValidationError(_("Only a co-worker can be ended here. Hand over the lead instead."))
    if involvement.end_date is not None and involvement.end_date < today:
        raise ValidationError(_("This co-worker is no longer involved."))
    involvement.end_date = today - dt.timedelta(days=1)
    involvement.save(update_fields=["end_date"])
    _log_involved(
        action=AuditAction.UPDATE,
        user=by,
        household=household,
        obj=involvement,
        ground=ground,
        request=request,
        details={"co_worker": {"ended": involvement.worker.get_username()}},
    )
    return involvement


def _sharing_check(
    *,
    household: Household,
    person: Person | None,
    organisation: Organisation | None,
) -> None:
    """Refuse sharing data with an outside professional unless the resident's consent to
    share with their organisation holds today (ValidationError on `shares_data`)."""
    if person is None or person.pk not in household.current_member_ids():
        raise ValidationError(
            {"person": _("Choose whose data you share: someone who lives in this household.")}
        )
    if organisation is None:
        raise ValidationError(
            {
                "shares_data": _(
                    "Consent is recorded per organisation. Choose the organisation from the "
                    "list, record the resident's consent under Consent in the household "
                    "file, and then mark that you share data."
                )
            }
        )
    try:
        consent_require(
            person=person, purpose=Purpose.SHARE_WITH_ORGANISATION, organisation=organisation
        )
    except ConsentMissing as missing:
        raise ValidationError({"shares_data": missing.messages}) from missing


@transaction.atomic
def outside_professional_add(
    *,
    household: Household,
    by: User,
    ground: str,
    name: str,
    organisation_name: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    phone: str = "",
    email: str = "",
    person: Person | None = None,
    shares_data: bool = False,
    start_date: dt.date | None = None,
    socialmap_resource: Any = None,
    request: HttpRequest | None = None,
) -> OutsideProfessional:
    """Put an outside professional on the file (picked from the social map, the values
    copied, or typed). Sharing the resident's data with them needs that resident's valid
    consent for their organisation: without it nothing is saved and the message says how
    to record it. `ground` is the one the view decided (a worker involved, the team leader)."""
    name = _clean_text(name)
    organisation_name = _clean_text(organisation_name) or (
        str(organisation) if organisation else ""
    )
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Write the name of the professional.")
    if not organisation_name:
        errors["organisation_name"] = _(
            "Write the organisation the professional works for, or choose it from the list."
        )
    if start_date is not None and start_date > timezone.localdate():
        errors["start_date"] = _("The start lies in the future. Use today or earlier.")
    if errors:
        raise ValidationError(errors)
    if shares_data:
        _sharing_check(household=household, person=person, organisation=organisation)
    elif person is not None and person.pk not in household.current_member_ids():
        raise ValidationError({"person": _("Choose someone who lives in this household.")})
    professional = OutsideProfessional.objects.create(
        household=household,
        name=name,
        organisation_name=organisation_name,
        organisation=organisation,
        role=_clean_text(role),
        phone=_clean_text(phone),
        email=_clean_text(email),
        person=person,
        shares_data=shares_data,
        socialmap_resource=socialmap_resource,
        start_date=start_date or timezone.localdate(),
        added_by=by,
    )
    _log_involved(
        action=AuditAction.CREATE,
        user=by,
        household=household,
        obj=professional,
        ground=ground,
        request=request,
        details={
            "outside_professional": {
                "organisation": organisation_name,
                "shares_data": shares_data,
                "from_social_map": socialmap_resource is not None,
            }
        },
    )
    return professional


@transaction.atomic
def outside_professional_sharing_set(
    *,
    professional: OutsideProfessional,
    shares_data: bool,
    by: User,
    ground: str,
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> OutsideProfessional:
    """Mark that the team does (or no longer does) share data with the professional.
    Sharing needs the resident's valid consent, as when adding them."""
    household = professional.household
    if professional.end_date is not None:
        raise ValidationError(_("This professional is no longer involved."))
    if shares_data:
        person = person or professional.person
        _sharing_check(household=household, person=person, organisation=professional.organisation)
        professional.person = person
    professional.shares_data = shares_data
    professional.save(update_fields=["shares_data", "person"])
    _log_involved(
        action=AuditAction.UPDATE,
        user=by,
        household=household,
        obj=professional,
        ground=ground,
        request=request,
        details={"outside_professional": {"shares_data": shares_data}},
    )
    return professional


@transaction.atomic
def outside_professional_end(
    *,
    professional: OutsideProfessional,
    by: User,
    ground: str,
    request: HttpRequest | None = None,
) -> OutsideProfessional:
    """End an outside professional's involvement today (and with it any sharing): they
    move to "involved before" on the file. Kept, never deleted."""
    if professional.end_date is not None:
        raise ValidationError(_("This professional is no longer involved."))
    professional.end_date = max(timezone.localdate(), professional.start_date)
    professional.shares_data = False
    professional.save(update_fields=["end_date", "shares_data"])
    _log_involved(
        action=AuditAction.UPDATE,
        user=by,
        household=professional.household,
        obj=professional,
        ground=ground,
        request=request,
        details={"outside_professional": {"ended": professional.organisation_name}},
    )
    return professional
