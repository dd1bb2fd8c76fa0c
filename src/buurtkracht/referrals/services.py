"""Writes on warm referrals. Every write checks the consent register where information
goes to an organisation, keeps the step in the referral's history, and is an audit event
naming the resident referred."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import Action
from buurtkracht.core.models import Organisation
from buurtkracht.core.versioning import version_claim
from buurtkracht.households.consent import Purpose, consent_require
from buurtkracht.households.models import Household, Person
from buurtkracht.households.queries import lead_workers
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify
from buurtkracht.referrals.models import Referral, ReferralStep
from buurtkracht.socialmap.models import Resource

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

Status = Referral.Status


def consent_organisation(
    *, resource: Resource | None, organisation: Organisation | None
) -> Organisation | None:
    """The organisation the resident's information goes to, whose consent is needed: the
    provider's organisation of the social-map entry, or the professional's organisation.

    None for an informal entry without an organisation (a walking club, a church's coffee
    morning): the worker brings the resident along, but no file goes anywhere, so the
    register has no organisation to check. The pages say so."""
    if resource is not None and resource.provider.organisation_id is not None:
        return resource.provider.organisation
    return organisation


def next_statuses(referral: Referral) -> list[str]:
    """Where a referral may go from here: any later step of the hand-over (a step may be
    skipped: not everyone needs to be accompanied), or ending it as not started or
    dropped out."""
    if not referral.is_open:
        return []
    here = Referral.FORWARD.index(referral.status)
    return [*Referral.FORWARD[here + 1 :], Status.NOT_STARTED, Status.DROPPED_OUT]


def _follow_up(errors: dict[str, str], follow_up_on: dt.date | None) -> None:
    # A warm referral is only warm when someone checks on it: every open step has a date.
    if follow_up_on is None:
        errors["follow_up_on"] = _("Choose a date to check how it went. For example 31-01-2027.")
    elif follow_up_on < timezone.localdate():
        errors["follow_up_on"] = _(
            "The date to check again lies in the past. Choose today or later."
        )


def _log(
    *,
    action: str,
    referral: Referral,
    user: User,
    request: HttpRequest | None,
    ground: str,
    **details: Any,
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        subjects=[referral.person_id],
        obj=referral,
        ground=ground,
        details={"referral": referral.pk, "status": referral.status, **details},
    )


@transaction.atomic
def referral_propose(
    *,
    household: Household,
    person: Person,
    action: Action,
    user: User,
    follow_up_on: dt.date | None,
    resource: Resource | None = None,
    professional_name: str = "",
    organisation: Organisation | None = None,
    professional_phone: str = "",
    professional_email: str = "",
    note: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Referral:
    """Propose a warm referral from a plan action to a social-map entry or a named
    professional. Refuses (ConsentMissing, nothing saved) when the resident has not
    consented to sharing with the organisation concerned."""
    errors: dict[str, str] = {}
    if person.pk not in household.current_member_ids():
        errors["person"] = _("Choose someone who lives in this household.")
    if action.goal.plan.household_id != household.pk:
        errors["action"] = _("Choose an action from this household's plan.")
    elif action.status != Action.Status.TO_DO:
        errors["action"] = _("This action is done or cancelled. Choose an open action.")
    professional_name = professional_name.strip()
    if resource is not None:
        if resource.status != Resource.Status.PUBLISHED:
            errors["resource"] = _("This entry is not on the social map. Choose another one.")
    elif not professional_name:
        errors["resource"] = _(
            "Choose an entry from the social map, or write the name of the professional."
        )
    elif organisation is None:
        # The information goes to the professional's organisation; that is what the
        # resident consents to (AVG: sharing with a named controller).
        errors["organisation"] = _("Choose the organisation the professional works for.")
    _follow_up(errors, follow_up_on)
    if errors:
        raise ValidationError(errors)
    counterpart = consent_organisation(resource=resource, organisation=organisation)
    if counterpart is not None:
        consent_require(
            person=person, purpose=Purpose.SHARE_WITH_ORGANISATION, organisation=counterpart
        )
    now = timezone.now()
    referral = Referral.objects.create(
        household=household,
        person=person,
        action=action,
        resource=resource,
        professional_name=professional_name,
        organisation=organisation,
        professional_phone=professional_phone.strip(),
        professional_email=professional_email.strip(),
        status=Status.PROPOSED,
        follow_up_on=follow_up_on,
        status_changed_at=now,
        created_by=user,
    )
    ReferralStep.objects.create(
        referral=referral,
        from_status="",
        to_status=Status.PROPOSED,
        at=now,
        by=user,
        note=note.strip(),
        follow_up_on=follow_up_on,
    )
    _log(
        action=AuditAction.CREATE,
        referral=referral,
        user=user,
        request=request,
        ground=ground,
        target=referral.target_name,
        organisation=str(counterpart) if counterpart else "",
    )
    return referral


@transaction.atomic
def referral_advance(
    *,
    referral: Referral,
    status: str,
    user: User,
    note: str = "",
    follow_up_on: dt.date | None = None,
    appointment_at: dt.datetime | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Move the referral one or more steps on, or end it. Refused (ChangedMeanwhile,
    nothing saved) when a colleague recorded a step after the page was opened at
    `expected_version`: the step chosen was chosen from where the referral was then.

    Every open step needs a date to check again; "not started" and "dropped out" need a
    reason (what the team learns from). Moving on means sharing with the organisation, so
    the consent is checked again: a withdrawal takes effect at once."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("resource__provider__organisation", "organisation", "person")
        .get(pk=referral.pk)
    )
    version_claim(referral, expected_version)
    errors: dict[str, str] = {}
    allowed = next_statuses(referral)
    if not referral.is_open:
        raise ValidationError(
            _("This referral has ended. Start a new referral from the plan if needed."),
            code="ended",
        )
    if status not in allowed:
        errors["status"] = _("Choose one of the next steps shown.")
    reason = reason.strip()
    if status in Referral.NEEDS_REASON and not reason:
        errors["reason"] = _("Write down why, in a few words. The team learns from it.")
    if status in Referral.FORWARD and status not in Referral.ENDED:
        _follow_up(errors, follow_up_on)
    if status == Status.APPOINTMENT_MADE and appointment_at is None:
        errors["appointment_on"] = _("Write down the date of the appointment.")
    if errors:
        raise ValidationError(errors)
    if status in Referral.FORWARD:
        counterpart = consent_organisation(
            resource=referral.resource, organisation=referral.organisation
        )
        if counterpart is not None:
            consent_require(
                person=referral.person,
                purpose=Purpose.SHARE_WITH_ORGANISATION,
                organisation=counterpart,
            )
    now = at or timezone.now()
    previous = referral.status
    referral.status = status
    referral.status_changed_at = now
    referral.follow_up_on = None if status in Referral.ENDED else follow_up_on
    if appointment_at is not None:
        referral.appointment_at = appointment_at
    if status in Referral.NEEDS_REASON:
        referral.reason = reason
    referral.save()
    ReferralStep.objects.create(
        referral=referral,
        from_status=previous,
        to_status=status,
        at=now,
        by=user,
        note=(reason if status in Referral.NEEDS_REASON and not note.strip() else note).strip(),
        follow_up_on=referral.follow_up_on,
    )
    _log(
        action=AuditAction.UPDATE,
        referral=referral,
        user=user,
        request=request,
        ground=ground,
        change="status",
        previous=previous,
    )
    if status == Status.DROPPED_OUT:
        notify(
            recipients=[*lead_workers(referral.household_id), referral.created_by_id],
            kind=Kind.REFERRAL_DROPPED_OUT,
            link=reverse("referrals:detail", args=[referral.household_id, referral.pk]),
            key=f"referral-dropped:{referral.pk}",
            text=gettext_lazy("A resident dropped out of a referral."),
            actor=user,
        )
    return referral
