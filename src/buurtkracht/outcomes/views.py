"""Voortgang: the pictures of progress of a household, and the assessment form. Resident
data only through the guard (buurtkracht.households.guard), which checks the ground and logs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.visibility import can_write
from buurtkracht.outcomes.forms import AssessmentForm, SelfAssessmentForm
from buurtkracht.outcomes.models import Assessment
from buurtkracht.outcomes.queries import (
    active_version,
    household_progress,
    instruments_with_active_version,
)
from buurtkracht.outcomes.services import assessment_record
from buurtkracht.outcomes.stories import consented_people


@require_GET
@audited
def progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "progress"})
    for_resident = ground == Ground.OWN_DATA
    stories = list(household.stories.select_related("about", "author").order_by("-written_on"))
    consenting = consented_people(s.about_id for s in stories if s.about_id)
    return render(
        request,
        "outcomes/progress.html",
        {
            "household": household,
            "for_resident": for_resident,
            "writable": can_write(ground),
            "self_assessed": SELF_ASSESSED if for_resident else (),
            "progress": household_progress(household, for_resident=for_resident),
            "stories": [
                (story, story.about_id is None or story.about_id in consenting) for story in stories
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@audited
def assessment_new(request: AuthenticatedRequest, pk: int, instrument_code: str) -> HttpResponse:
    action = AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    household, ground = household_for_request(
        request, pk, action=action, details={"page": "assessment", "instrument": instrument_code}
    )
    # Reading and the resident take part in the conversation; recording is for the workers
    # who may change the plan (households.visibility.WRITE_GROUNDS).
    if not can_write(ground):
        raise Http404
    instrument = next(
        (i for i in instruments_with_active_version() if i.code == instrument_code), None
    )
    version = active_version(instrument) if instrument else None
    if instrument is None or version is None:
        raise Http404
    form = AssessmentForm(request.POST or None, version=version, household=household)
    if request.method == "POST" and form.is_valid():
        person_id = form.cleaned_data["person"]
        person = (
            household.members.filter(pk=int(person_id)).first()
            if person_id and person_id.isdigit()
            else None
        )
        try:
            assessment_record(
                household=household,
                instrument_version=version,
                moment=form.cleaned_data["moment"],
                perspective=form.cleaned_data["perspective"],
                held_on=form.cleaned_data["held_on"],
                scores=form.scores(),
                person=person,
                note=form.cleaned_data["note"],
                user=request.user,
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("outcomes:progress", pk=household.pk)
    return render(
        request,
        "outcomes/assessment_form.html",
        {"household": household, "instrument": instrument, "version": version, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# The instruments a resident fills in themselves (issue 19): their own mark per life
# domain, and their own view on the self-reliance matrix, beside the worker's.
SELF_ASSESSED = ("own_score", "zrm")


@require_http_methods(["GET", "POST"])
@audited
def self_assessment(request: AuthenticatedRequest, pk: int, instrument_code: str) -> HttpResponse:
    """The resident scores themselves, on their phone: the resident's own view, about
    themselves, today. Only the resident, on the ground of their own data."""
    household, ground = household_for_request(
        request, pk, details={"page": "self-assessment", "instrument": instrument_code}
    )
    person = household.members.filter(pk=request.user.person_id or 0).first()
    if ground != Ground.OWN_DATA or person is None or instrument_code not in SELF_ASSESSED:
        raise Http404
    instrument = next(
        (i for i in instruments_with_active_version() if i.code == instrument_code), None
    )
    version = active_version(instrument) if instrument else None
    if instrument is None or version is None:
        raise Http404
    form = SelfAssessmentForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_record(
                household=household,
                instrument_version=version,
                moment=Assessment.Moment.OTHER,
                perspective=Assessment.Perspective.RESIDENT,
                held_on=timezone.localdate(),
                scores=form.scores(),
                person=person,
                note=form.cleaned_data["note"],
                user=request.user,
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Thank you. Your worker sees your answers next to theirs."))
            return redirect("outcomes:progress", pk=household.pk)
    return render(
        request,
        "outcomes/self_assessment.html",
        {"household": household, "instrument": instrument, "form": form},
        status=400 if request.method == "POST" else 200,
    )
