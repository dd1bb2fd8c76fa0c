"""Consent online: a resident gives, limits in time or withdraws their own consent from
their own page (issue 19, *toestemming online*). It is an entry in the same consent
register as the worker's, recorded by the resident with the method "online", so every
service that checks consent (referrals, volunteer requests, the network map, sharing with
an outside professional) follows it at once. The workers involved in the file are told
(the notification names no resident).

A resident decides for themselves only: a partner decides for themselves, and consent for
a child is recorded by the worker with the parents."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import User
from buurtkracht.core.models import Organisation
from buurtkracht.households.consent import consent_current, consent_is_valid, consent_record
from buurtkracht.households.models import Consent, Household
from buurtkracht.households.queries import involved_workers
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify


def _own_person_in(resident: User, household: Household) -> int:
    person_id = resident.person_id
    if person_id is None or person_id not in household.current_member_ids():
        raise ValidationError(
            _("You can only change your own consent, for the household you live in.")
        )
    return person_id


@transaction.atomic
def consent_by_resident(
    *,
    resident: User,
    household: Household,
    purpose: str,
    given: bool,
    organisation: Organisation | None = None,
    counterpart: str = "",
    valid_until: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Consent:
    """The resident's own answer, online. Refused (ValidationError, nothing saved) for
    anyone but a resident of the household deciding for themselves."""
    _own_person_in(resident, household)
    assert resident.person is not None
    consent = consent_record(
        person=resident.person,
        purpose=purpose,
        given=given,
        method=Consent.Method.ONLINE,
        recorded_by=resident,
        organisation=organisation,
        counterpart=counterpart,
        valid_until=valid_until,
        request=request,
    )
    notify(
        recipients=involved_workers(household.pk),
        kind=Kind.CONSENT_CHANGED,
        link=reverse("households:consents", args=[household.pk]),
        key=f"consent-online:{consent.pk}",
        text=(
            gettext_lazy("A resident gave a consent online.")
            if given
            else gettext_lazy("A resident withdrew a consent online. Stop sharing what it covered.")
        ),
        actor=resident,
    )
    return consent


def consent_withdraw_by_resident(
    *, resident: User, household: Household, consent: Consent, request: HttpRequest | None = None
) -> Consent:
    """Withdraw the consent that `consent` gave, from now on."""
    return consent_by_resident(
        resident=resident,
        household=household,
        purpose=consent.purpose,
        given=False,
        organisation=consent.organisation,
        counterpart=consent.counterpart,
        request=request,
    )


def consent_limit_by_resident(
    *,
    resident: User,
    household: Household,
    consent: Consent,
    valid_until: dt.date,
    request: HttpRequest | None = None,
) -> Consent:
    """Keep a consent that counts now, but only until `valid_until` (inclusive)."""
    current = consent_current(
        person=consent.person,
        purpose=consent.purpose,
        organisation=consent.organisation,
        counterpart=consent.counterpart,
    )
    if current is None or current.pk != consent.pk or not consent_is_valid(consent):
        raise ValidationError(
            _("This consent no longer counts. Give it again if you want, with an end date.")
        )
    return consent_by_resident(
        resident=resident,
        household=household,
        purpose=consent.purpose,
        given=True,
        organisation=consent.organisation,
        counterpart=consent.counterpart,
        valid_until=valid_until,
        request=request,
    )
