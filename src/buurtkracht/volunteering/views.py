"""Volunteer requests in three views of the same request:

- the worker, from the household file (through the guard: ground checked and logged);
  asking needs a write ground (involved worker or team leader), reading any ground;
- the volunteer coordinator: the queue, one request with only what the volunteer will
  see plus who asked, matching and ending (role; every look logged with the residents);
- the volunteer: "Mijn hulpvragen", only their current matches, only the agreed fields,
  logged on the ground of the resident's consent.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look, note_refusal
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.consent import ConsentMissing
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.visibility import can_write
from buurtkracht.volunteering.forms import EndForm, MatchForm, VisitForm, VolunteerRequestForm
from buurtkracht.volunteering.models import VolunteerRequest
from buurtkracht.volunteering.queries import (
    average_time_to_match,
    household_requests,
    shared_view,
    volunteer_consent_valid,
    with_people,
)
from buurtkracht.volunteering.services import (
    visit_record,
    volunteer_request_create,
    volunteer_request_end,
    volunteer_request_match,
    volunteer_request_propose,
)

Status = VolunteerRequest.Status


# --- The worker, from the household file -------------------------------------------------


@require_GET
@audited
def household_requests_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "volunteer requests"})
    requests = household_requests(household)
    for vrequest in requests:
        # Whether the proposed volunteer may be matched yet: the worker asks the resident.
        vrequest.proposal_needs_consent = bool(  # type: ignore[attr-defined]
            vrequest.proposed_volunteer
            and not volunteer_consent_valid(vrequest, vrequest.proposed_volunteer)
        )
    return render(
        request,
        "volunteering/household_requests.html",
        {
            "household": household,
            "requests": requests,
            "writable": can_write(ground),
            "end_form": EndForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@audited
def request_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    household, ground = household_for_request(
        request, pk, action=action, details={"page": "new volunteer request"}
    )
    if not can_write(ground):
        raise Http404
    form = VolunteerRequestForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = household.members.filter(pk=int(data["person"])).first()
        try:
            if person is None:
                raise ValidationError(
                    {"person": _("Choose a resident who lives in this household.")}
                )
            volunteer_request_create(
                household=household,
                person=person,
                kind=data["kind"],
                asked=data["asked"],
                share_address=data["share_address"],
                share_phone=data["share_phone"],
                requested_by=request.user,
                ground=ground,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Request sent to the volunteer coordinator. You see here when it is matched."),
            )
            return redirect("volunteering:household", pk=household.pk)
    return render(
        request,
        "volunteering/request_form.html",
        {"household": household, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@audited
def household_request_end(request: AuthenticatedRequest, pk: int, request_pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request, pk, action=AuditAction.UPDATE, details={"page": "end volunteer request"}
    )
    if not can_write(ground):
        raise Http404
    vrequest = get_object_or_404(VolunteerRequest, pk=request_pk, household=household)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write in a few words why it ends."))
        volunteer_request_end(
            vrequest=vrequest,
            reason=form.cleaned_data["reason"],
            ended_by=request.user,
            ground=ground,
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request has ended."))
    return redirect("volunteering:household", pk=household.pk)


# --- The volunteer coordinator -----------------------------------------------------------


@require_GET
@role_required(Role.VOLUNTEER_COORDINATOR)
@audited
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Open requests, the longest waiting first, and the current matches."""
    waiting = list(with_people(VolunteerRequest.objects.waiting()))
    matched = list(
        with_people(VolunteerRequest.objects.filter(status=Status.MATCHED)).order_by(
            "-matched_at", "-pk"
        )
    )
    shown = waiting + matched
    if shown:
        note_look(
            request,
            action=AuditAction.READ,
            subjects=[r.person_id for r in shown],
            ground=Ground.ROLE,
            details={"page": "volunteer queue", "requests": len(shown)},
        )
    average, matches = average_time_to_match()
    return render(
        request,
        "volunteering/queue.html",
        {"waiting": waiting, "matched": matched, "average": average, "matches": matches},
    )


def _coordinator_request(request: AuthenticatedRequest, pk: int, page: str) -> VolunteerRequest:
    vrequest = get_object_or_404(with_people(VolunteerRequest.objects.all()), pk=pk)
    note_look(
        request,
        action=AuditAction.READ if request.method == "GET" else AuditAction.UPDATE,
        subjects=[vrequest.person_id],
        obj=vrequest,
        ground=Ground.ROLE,
        details={"page": page},
    )
    return vrequest


def _render_coordinator(
    request: AuthenticatedRequest,
    vrequest: VolunteerRequest,
    match_form: MatchForm | None = None,
    end_form: EndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    proposed = vrequest.proposed_volunteer
    return render(
        request,
        "volunteering/coordinator_request.html",
        {
            "vrequest": vrequest,
            "shared": shared_view(vrequest),
            "match_form": match_form
            or MatchForm(initial={"volunteer": proposed.pk} if proposed else None),
            "end_form": end_form or EndForm(),
            "visits": vrequest.visits.count(),
            "proposal_needs_consent": bool(
                proposed and not volunteer_consent_valid(vrequest, proposed)
            ),
        },
        status=status,
    )


@require_GET
@role_required(Role.VOLUNTEER_COORDINATOR)
@audited
def coordinator_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    vrequest = _coordinator_request(request, pk, "volunteer request (coordinator)")
    return _render_coordinator(request, vrequest)


@require_POST
@role_required(Role.VOLUNTEER_COORDINATOR)
@audited
def match(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    vrequest = _coordinator_request(request, pk, "match volunteer")
    form = MatchForm(request.POST)
    if form.is_valid():
        volunteer = form.cleaned_data["volunteer"]
        try:
            volunteer_request_match(
                vrequest=vrequest, volunteer=volunteer, matched_by=request.user, request=request
            )
        except ConsentMissing as error:
            # Nothing is shared. The coordinator's choice is noted on the request, so the
            # worker sees whose name to ask the resident about.
            volunteer_request_propose(
                vrequest=vrequest, volunteer=volunteer, proposed_by=request.user, request=request
            )
            form.add_error(
                None,
                _(
                    "%(message)s The requesting worker (%(worker)s) records this consent; "
                    "they see your proposal on the request. Then match again."
                )
                % {"message": error.messages[0], "worker": vrequest.requested_by},
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Matched. %(name)s now sees this request under My volunteer requests.")
                % {"name": volunteer.get_full_name() or volunteer.username},
            )
            return redirect("volunteering:queue")
    return _render_coordinator(request, vrequest, match_form=form, status=400)


@require_POST
@role_required(Role.VOLUNTEER_COORDINATOR)
@audited
def end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    vrequest = _coordinator_request(request, pk, "end volunteer request")
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            volunteer_request_end(
                vrequest=vrequest,
                reason=form.cleaned_data["reason"],
                ended_by=request.user,
                ground=Ground.ROLE,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The request has ended."))
            return redirect("volunteering:queue")
    return _render_coordinator(request, vrequest, end_form=form, status=400)


# --- The volunteer -----------------------------------------------------------------------


@require_GET
@role_required(Role.VOLUNTEER)
@audited
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """Mijn hulpvragen: the volunteer's current matches, the agreed fields only."""
    requests = list(with_people(VolunteerRequest.objects.for_volunteer(request.user)))
    cards: list[dict[str, Any]] = []
    shown: list[int] = []
    for vrequest in requests:
        valid = volunteer_consent_valid(vrequest, request.user)
        cards.append({"vrequest": vrequest, "shared": shared_view(vrequest) if valid else None})
        if valid:
            shown.append(vrequest.person_id)
    if shown:
        note_look(
            request,
            action=AuditAction.READ,
            subjects=shown,
            ground=Ground.CONSENT,
            details={"page": "my volunteer requests", "requests": len(shown)},
        )
    return render(request, "volunteering/mine.html", {"cards": cards})


@require_http_methods(["GET", "POST"])
@role_required(Role.VOLUNTEER)
@audited
def mine_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    vrequest = (
        with_people(VolunteerRequest.objects.for_volunteer(request.user)).filter(pk=pk).first()
    )
    if vrequest is None:
        note_refusal(
            request,
            action=AuditAction.READ,
            details={"page": "my volunteer request", "requested_id": pk},
        )
        raise Http404
    valid = volunteer_consent_valid(vrequest, request.user)
    if valid:
        note_look(
            request,
            action=AuditAction.UPDATE if request.method == "POST" else AuditAction.READ,
            subjects=[vrequest.person_id],
            obj=vrequest,
            ground=Ground.CONSENT,
            details={"page": "my volunteer request"},
        )
    form = VisitForm(request.POST or None)
    if request.method == "POST":
        if not valid:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit_record(
                    vrequest=vrequest,
                    volunteer=request.user,
                    date=data["date"],
                    minutes=data["minutes"],
                    note=data["note"],
                    worker_should_know=data["worker_should_know"],
                    request=request,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Visit saved. Thank you!"))
                return redirect("volunteering:mine-detail", pk=vrequest.pk)
    visits = list(vrequest.visits.filter(volunteer=request.user)[:20]) if valid else []
    return render(
        request,
        "volunteering/mine_detail.html",
        {
            "vrequest": vrequest,
            "shared": shared_view(vrequest) if valid else None,
            "form": form,
            "visits": visits,
        },
        status=400 if request.method == "POST" else 200,
    )
