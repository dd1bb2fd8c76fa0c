"""The consent register: recording, withdrawing and checking consent per purpose.

Services that share a resident's data (referrals, volunteer matches, network members,
stories in reports) call `consent_require` first. Without valid consent it raises
`ConsentMissing`, whose message tells the worker which consent is missing and how to
record it. The newest entry for a purpose and counterpart decides, so a withdrawal takes
effect immediately.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Organisation
from buurtkracht.households.models import Consent, Person

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

Purpose = Consent.Purpose

NEEDS_ORGANISATION = {Purpose.SHARE_WITH_ORGANISATION}
NEEDS_COUNTERPART = {Purpose.INVOLVE_NETWORK_MEMBER, Purpose.SHARE_WITH_VOLUNTEER}


class ConsentMissing(ValidationError):
    """No valid consent for what the worker is about to do."""


def _key_filter(
    purpose: str, organisation: Organisation | None, counterpart: str
) -> dict[str, Any]:
    key: dict[str, Any] = {"purpose": purpose}
    if purpose in NEEDS_ORGANISATION:
        key["organisation"] = organisation
    if purpose in NEEDS_COUNTERPART:
        key["counterpart__iexact"] = counterpart.strip()
    return key


def consent_current(
    *,
    person: Person,
    purpose: str,
    organisation: Organisation | None = None,
    counterpart: str = "",
) -> Consent | None:
    """The entry that decides now: the newest for this purpose and counterpart."""
    return (
        person.consents.filter(**_key_filter(purpose, organisation, counterpart))
        .order_by("-recorded_at", "-id")
        .first()
    )


def consent_current_per_person(
    *,
    person_ids: Iterable[int],
    purpose: str,
    organisation: Organisation | None = None,
    counterpart: str = "",
) -> dict[int, Consent]:
    """`consent_current` for many residents at once, in one query: per resident the entry
    that decides now. A resident without any entry is absent."""
    current: dict[int, Consent] = {}
    entries = Consent.objects.filter(
        person_id__in=list(person_ids), **_key_filter(purpose, organisation, counterpart)
    ).order_by("person_id", "-recorded_at", "-id")
    for consent in entries:
        current.setdefault(consent.person_id, consent)
    return current


def consent_is_valid(consent: Consent | None, on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    return bool(
        consent and consent.given and (consent.valid_until is None or consent.valid_until >= on)
    )


def consent_require(
    *,
    person: Person,
    purpose: str,
    organisation: Organisation | None = None,
    counterpart: str = "",
    named: str = "",
) -> Consent:
    """Return the valid consent, or raise ConsentMissing saying what to record.

    `named` is how the message names the resident where the reader knows them by less
    than their full name (the volunteer coordinator: the first name only)."""
    consent = consent_current(
        person=person, purpose=purpose, organisation=organisation, counterpart=counterpart
    )
    if consent_is_valid(consent):
        assert consent is not None
        return consent
    with_whom = str(organisation) if organisation else counterpart
    params = {
        "person": named or person.full_name,
        "purpose": Purpose(purpose).label,
        "with": with_whom,
    }
    if consent and not consent.given:
        message = _(
            "%(person)s withdrew consent to %(purpose)s (%(with)s). Do not share. If they "
            "change their mind, record the new consent under Consent in the household file."
        )
    elif consent:
        message = _(
            "The consent of %(person)s to %(purpose)s (%(with)s) has expired. Ask again and "
            "record it under Consent in the household file."
        )
    else:
        message = _(
            "There is no consent from %(person)s to %(purpose)s (%(with)s). Ask them, and "
            "record their answer under Consent in the household file before you share."
        )
    raise ConsentMissing(message % params, code="consent_missing")


@transaction.atomic
def consent_record(
    *,
    person: Person,
    purpose: str,
    given: bool,
    method: str,
    recorded_by: User,
    organisation: Organisation | None = None,
    counterpart: str = "",
    valid_until: dt.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    """Record that `person` gave or withdrew consent. Logged as a consent change."""
    errors: dict[str, str] = {}
    if purpose not in Purpose.values:
        errors["purpose"] = _("Choose what the consent is for.")
    if method not in Consent.Method.values:
        errors["method"] = _("Choose how the consent was given: spoken, written or online.")
    if purpose in NEEDS_ORGANISATION and organisation is None:
        errors["organisation"] = _("Choose the organisation the information may go to.")
    if purpose in NEEDS_COUNTERPART and not counterpart.strip():
        errors["counterpart"] = _("Write the name of the person the information may go to.")
    if valid_until is not None and valid_until < timezone.localdate():
        errors["valid_until"] = _(
            "The end date lies in the past. Choose a later date or leave it empty."
        )
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        organisation=organisation if purpose in NEEDS_ORGANISATION else None,
        counterpart=counterpart.strip() if purpose in NEEDS_COUNTERPART else "",
        given=given,
        method=method,
        recorded_at=timezone.now(),
        recorded_by=recorded_by,
        valid_until=valid_until if given else None,
        note=note.strip(),
    )
    audit_record(
        action=Action.CONSENT_CHANGE,
        user=recorded_by,
        request=request,
        subjects=[person.pk],
        obj=consent,
        ground=Ground.CONSENT,
        details={
            "purpose": purpose,
            "given": given,
            "with": consent.counterpart_label,
            "method": method,
        },
    )
    return consent


def consent_withdraw(
    *, consent: Consent, recorded_by: User, method: str, request: HttpRequest | None = None
) -> Consent:
    """Withdraw the consent that `consent` gave: a new entry that says no, effective now."""
    return consent_record(
        person=consent.person,
        purpose=consent.purpose,
        given=False,
        method=method,
        recorded_by=recorded_by,
        organisation=consent.organisation,
        counterpart=consent.counterpart,
        request=request,
    )
