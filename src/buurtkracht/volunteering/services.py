"""Writes for volunteer requests: ask, propose, match, end, withdraw, record a visit.

Every service validates, writes inside one transaction and records the audit event with
the resident the request is about. Matching shares the agreed fields with one named
volunteer, so it needs the resident's consent to share with that volunteer
(`Consent.Purpose.SHARE_WITH_VOLUNTEER`, counterpart = the volunteer's name); without it
nothing is matched (AVG art. 6 and 7: sharing needs a ground, the resident decides).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.queries import in_force
from buurtkracht.households.consent import Purpose, consent_require
from buurtkracht.households.models import Household, Involvement, Person
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify
from buurtkracht.volunteering.models import (
    ASKED_MAX_LENGTH,
    VISIT_NOTE_MAX_LENGTH,
    Visit,
    VolunteerRequest,
)

Status = VolunteerRequest.Status
MAX_VISIT_MINUTES = 12 * 60


def volunteer_name(volunteer: User) -> str:
    """The name the resident's consent names: what the volunteer is called in the centre."""
    return volunteer.get_full_name() or volunteer.get_username()


def _audit(
    *,
    action: str,
    user: User,
    vrequest: VolunteerRequest,
    ground: str,
    request: HttpRequest | None,
    details: dict[str, Any],
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        subjects=[vrequest.person_id],
        obj=vrequest,
        ground=ground,
        details={"page": "volunteer request", **details},
    )


@transaction.atomic
def volunteer_request_create(
    *,
    household: Household,
    person: Person,
    kind: str,
    asked: str,
    share_address: bool,
    share_phone: bool,
    requested_by: User,
    ground: str,
    request: HttpRequest | None = None,
) -> VolunteerRequest:
    """A worker asks the volunteer centre for help for one resident of the household.
    The caller has checked that the worker may write in the household's file."""
    errors: dict[str, str] = {}
    asked = asked.strip()
    if person.pk not in household.current_member_ids():
        errors["person"] = _("Choose a resident who lives in this household.")
    if kind not in VolunteerRequest.Kind.values:
        errors["kind"] = _("Choose what kind of help is asked.")
    if not asked:
        errors["asked"] = _("Write in a few words what help is asked, for the volunteer.")
    elif len(asked) > ASKED_MAX_LENGTH:
        errors["asked"] = _("Keep it short: at most %(n)s characters.") % {"n": ASKED_MAX_LENGTH}
    if share_phone and not person.phone:
        errors["share_phone"] = _(
            "There is no phone number in the file. Add it to the resident first, or leave this off."
        )
    if errors:
        raise ValidationError(errors)
    teams = current_teams(requested_by)
    neighbourhood_id = household.address.neighbourhood_id
    team = (
        neighbourhood_id is not None and teams.filter(neighbourhoods__id=neighbourhood_id).first()
    ) or teams.first()
    vrequest = VolunteerRequest.objects.create(
        household=household,
        person=person,
        kind=kind,
        asked=asked,
        share_address=share_address,
        share_phone=share_phone,
        requested_by=requested_by,
        team=team,
        requested_at=timezone.now(),
    )
    _audit(
        action=Action.CREATE,
        user=requested_by,
        vrequest=vrequest,
        ground=ground,
        request=request,
        details={"kind": kind, "address": share_address, "phone": share_phone},
    )
    return vrequest


def _check_volunteer(volunteer: User) -> None:
    if not volunteer.is_active or not volunteer.has_role(Role.VOLUNTEER):
        raise ValidationError({"volunteer": _("Choose a volunteer of the volunteer centre.")})


def _check_coordinator(user: User) -> None:
    if not user.has_role(Role.VOLUNTEER_COORDINATOR):
        raise ValidationError(_("Only a volunteer coordinator matches volunteers."))


@transaction.atomic
def volunteer_request_match(
    *,
    vrequest: VolunteerRequest,
    volunteer: User,
    matched_by: User,
    request: HttpRequest | None = None,
) -> VolunteerRequest:
    """Match an open request with a volunteer. Raises ConsentMissing (and saves nothing)
    when the resident has not agreed to share with this volunteer by name."""
    _check_coordinator(matched_by)
    _check_volunteer(volunteer)
    vrequest = VolunteerRequest.objects.select_for_update().get(pk=vrequest.pk)
    if vrequest.status != Status.OPEN:
        raise ValidationError(_("This request is no longer waiting for a volunteer."))
    consent = consent_require(
        person=vrequest.person,
        purpose=Purpose.SHARE_WITH_VOLUNTEER,
        counterpart=volunteer_name(volunteer),
        named=vrequest.first_name,  # the coordinator knows the resident by first name only
    )
    vrequest.status = Status.MATCHED
    vrequest.volunteer = volunteer
    vrequest.proposed_volunteer = None
    vrequest.matched_by = matched_by
    vrequest.matched_at = timezone.now()
    vrequest.save()
    _audit(
        action=Action.UPDATE,
        user=matched_by,
        vrequest=vrequest,
        ground=Ground.CONSENT,
        request=request,
        details={"matched": volunteer.get_username(), "consent": consent.pk},
    )
    return vrequest


@transaction.atomic
def volunteer_request_propose(
    *,
    vrequest: VolunteerRequest,
    volunteer: User,
    proposed_by: User,
    request: HttpRequest | None = None,
) -> VolunteerRequest:
    """Note the volunteer the coordinator has in mind while the resident's consent is still
    missing, so that the worker knows whose name to ask about. Nothing is shared yet."""
    _check_coordinator(proposed_by)
    _check_volunteer(volunteer)
    if vrequest.status != Status.OPEN:
        raise ValidationError(_("This request is no longer waiting for a volunteer."))
    vrequest.proposed_volunteer = volunteer
    vrequest.save(update_fields=["proposed_volunteer"])
    _audit(
        action=Action.UPDATE,
        user=proposed_by,
        vrequest=vrequest,
        ground=Ground.ROLE,
        request=request,
        details={"proposed": volunteer.get_username()},
    )
    return vrequest


@transaction.atomic
def volunteer_request_end(
    *,
    vrequest: VolunteerRequest,
    reason: str,
    ended_by: User,
    ground: str,
    request: HttpRequest | None = None,
) -> VolunteerRequest:
    """End a request: a match that stops (status ended) or an open request nobody needs
    any more (withdrawn). The volunteer loses access at once."""
    reason = reason.strip()
    if vrequest.status not in (Status.OPEN, Status.MATCHED):
        raise ValidationError(_("This request has already ended."))
    if not reason:
        raise ValidationError({"reason": _("Write in a few words why it ends.")})
    if len(reason) > 300:
        raise ValidationError(
            {"reason": _("Keep it short: at most %(n)s characters.") % {"n": 300}}
        )
    vrequest.status = Status.ENDED if vrequest.status == Status.MATCHED else Status.WITHDRAWN
    vrequest.ended_at = timezone.now()
    vrequest.end_reason = reason
    vrequest.proposed_volunteer = None
    vrequest.save()
    _audit(
        action=Action.UPDATE,
        user=ended_by,
        vrequest=vrequest,
        ground=ground,
        request=request,
        details={"status": vrequest.status},
    )
    return vrequest


@transaction.atomic
def visit_record(
    *,
    vrequest: VolunteerRequest,
    volunteer: User,
    date: dt.date | None,
    minutes: int | None,
    note: str = "",
    worker_should_know: bool = False,
    request: HttpRequest | None = None,
) -> Visit:
    """A volunteer records a visit on a request they are matched to."""
    errors: dict[str, str] = {}
    note = note.strip()
    today = timezone.localdate()
    if vrequest.status != Status.MATCHED or vrequest.volunteer_id != volunteer.pk:
        raise ValidationError(_("You can only record visits for your own current matches."))
    if date is None:
        errors["date"] = _("Fill in the date of the visit.")
    elif date > today:
        errors["date"] = _("The date lies in the future. Record a visit after it happened.")
    elif vrequest.matched_at and date < timezone.localtime(vrequest.matched_at).date():
        errors["date"] = _("The date lies before the match. Check the date.")
    if minutes is None or minutes < 1:
        errors["minutes"] = _("Fill in how many minutes the visit took.")
    elif minutes > MAX_VISIT_MINUTES:
        errors["minutes"] = _("That is more than 12 hours. Check the number of minutes.")
    if len(note) > VISIT_NOTE_MAX_LENGTH:
        errors["note"] = _("Keep it short: at most %(n)s characters.") % {
            "n": VISIT_NOTE_MAX_LENGTH
        }
    if worker_should_know and not note:
        errors["note"] = _("Write in one line what the worker should know.")
    if errors:
        raise ValidationError(errors)
    assert date is not None and minutes is not None
    visit = Visit.objects.create(
        request=vrequest,
        volunteer=volunteer,
        date=date,
        minutes=minutes,
        note=note,
        worker_should_know=worker_should_know,
        recorded_at=timezone.now(),
    )
    _audit(
        action=Action.CREATE,
        user=volunteer,
        vrequest=vrequest,
        ground=Ground.CONSENT,
        request=request,
        details={"visit": visit.pk, "flag": worker_should_know},
    )
    if worker_should_know:
        leads = Involvement.objects.filter(
            in_force(), household_id=vrequest.household_id, kind=Involvement.Kind.LEAD
        ).values_list("worker_id", flat=True)
        notify(
            recipients=[vrequest.requested_by_id, *leads],
            kind=Kind.VISIT_FLAGGED,
            link=reverse("volunteering:household", args=[vrequest.household_id]),
            key=f"visit:{visit.pk}",
            text=gettext_lazy("A volunteer wrote something the worker should know."),
            actor=volunteer,
        )
    return visit
