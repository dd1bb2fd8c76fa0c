"""Intake pages: register an intake, and the team's list where the leader assigns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.reauth import mark_authenticated, recently_authenticated
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.forms import IntakeForm, IntakeLinkAddressForm
from buurtkracht.casework.handover import (
    Move,
    handover,
    handover_candidates,
    involvements_to_hand_over,
)
from buurtkracht.casework.intake import (
    ExistingFilesFound,
    assigning_teams,
    current_leads,
    intake_assign,
    intake_close,
    intake_create,
    intake_hand_to_lead,
    intake_set_address,
    intakes_for,
)
from buurtkracht.casework.models import Intake
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Involvement


def _require_worker(request: AuthenticatedRequest) -> None:
    if not (request.user.has_role(Role.WORKER) or request.user.has_role(Role.TEAM_LEADER)):
        raise Http404


@require_http_methods(["GET", "POST"])
def intake_new(request: AuthenticatedRequest) -> HttpResponse:
    _require_worker(request)
    form = IntakeForm(request.POST or None)
    existing: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intake = intake_create(
                source=data["source"],
                description=data["description"],
                name=data["name"],
                date_of_birth=data["date_of_birth"],
                postcode=data["postcode"],
                house_number=data["house_number"],
                house_letter=data["house_letter"],
                addition=data["addition"],
                street=data["street"],
                town=data["town"],
                create_anyway=data["create_anyway"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            existing = _intake_errors_to_form(form, error)
        else:
            team = intake.team.name if intake.team else _("your team")
            messages.success(
                request, _("Intake saved. It is on the list of %(team)s.") % {"team": team}
            )
            return redirect("casework:intakes")
    return render(
        request,
        "casework/intake_new.html",
        {"form": form, "existing": existing},
        status=400 if request.method == "POST" else 200,
    )


def _intake_errors_to_form(form: Any, error: ValidationError) -> list[Any]:
    """Put the service's errors on the form; return the existing files it offers, if any."""
    if isinstance(error, ExistingFilesFound):
        form.add_error(None, error.messages[0])
        return error.files
    errors_to_form(form, error)
    return []


@require_http_methods(["GET", "POST"])
def intake_address(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Link the address to an intake that began with a name only."""
    _require_worker(request)
    intake = intakes_for(request.user).filter(pk=pk, household__isnull=True).first()
    if intake is None:
        raise Http404
    form = IntakeLinkAddressForm(request.POST or None)
    existing: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intake_set_address(
                intake=intake,
                user=request.user,
                request=request,
                **data,
            )
        except ValidationError as error:
            existing = _intake_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Address saved. The intake is on the list of %(team)s.")
                % {"team": intake.team.name if intake.team else _("your team")},
            )
            return redirect("casework:intakes")
    return render(
        request,
        "casework/intake_address.html",
        {"form": form, "existing": existing, "intake": intake},
        status=400 if request.method == "POST" else 200,
    )


@dataclass
class IntakeRow:
    """One intake on the list with only what can really be done with it: assign a lead
    worker when the household has none, hand it to the lead worker when it has one, close
    it with a reason — the last two only for those who may handle the team's intakes."""

    intake: Intake
    workers: list[User]
    lead: Involvement | None
    may_handle: bool
    close_reason: str = ""
    close_error: str = ""


def _render_intakes(
    request: AuthenticatedRequest,
    *,
    close_for: int | None = None,
    close_reason: str = "",
    close_error: str = "",
    status: int = 200,
) -> HttpResponse:
    intakes = list(intakes_for(request.user))
    led = set(assigning_teams(request.user).values_list("pk", flat=True))
    today = timezone.localdate()
    workers_by_team: dict[int, list[User]] = {}
    # Only workers whose membership runs today: the service refuses anyone else.
    for membership in (
        TeamMembership.objects.filter(team_id__in=led, position=TeamMembership.Position.WORKER)
        .filter(in_force(today))
        .select_related("user")
        .order_by("user__last_name")
    ):
        workers_by_team.setdefault(membership.team_id, []).append(membership.user)
    leads = current_leads([i.household_id for i in intakes if i.household_id is not None])
    _note_intake_looks(request, intakes)
    rows = [
        IntakeRow(
            intake=intake,
            workers=workers_by_team.get(intake.team_id or 0, []),
            lead=leads.get(intake.household_id or 0),
            may_handle=intake.team_id in led,
            close_reason=close_reason if intake.pk == close_for else "",
            close_error=close_error if intake.pk == close_for else "",
        )
        for intake in intakes
    ]
    return render(request, "casework/intakes.html", {"rows": rows}, status=status)


def _note_intake_looks(request: AuthenticatedRequest, intakes: list[Intake]) -> None:
    """One look per address on the list, on the household as the household page logs it,
    so that "who looked" finds the list for the household and for each of its residents,
    also where nobody is registered there (yet). A name-only intake is a look at the
    intake itself."""
    shown: set[int] = set()
    for intake in intakes:
        household = intake.household
        if household is not None and household.pk in shown:
            continue
        if household is not None:
            shown.add(household.pk)
        note_look(
            request,
            action=AuditAction.READ,
            subjects=household.current_member_ids() if household is not None else (),
            obj=household if household is not None else intake,
            ground=Ground.TEAM,
            details={"page": "intakes", "intake": intake.pk},
        )


@require_http_methods(["GET"])
@audited
def intake_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_worker(request)
    return _render_intakes(request)


@require_POST
def intake_assign_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_worker(request)
    intake = intakes_for(request.user).filter(pk=pk).first()
    worker = User.objects.filter(pk=request.POST.get("worker") or 0).first()
    if intake is None:
        raise Http404
    if worker is None:
        messages.error(request, _("Choose the worker who becomes the lead worker."))
        return redirect("casework:intakes")
    try:
        intake_assign(intake=intake, worker=worker, by=request.user, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("%(worker)s is now the lead worker.") % {"worker": worker.get_full_name()}
        )
    return redirect("casework:intakes")


@require_POST
def intake_hand_to_lead_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Bij de regisseur leggen: the household has a lead worker, who gets the intake."""
    _require_worker(request)
    intake = intakes_for(request.user).filter(pk=pk).first()
    if intake is None:
        raise Http404
    try:
        intake_hand_to_lead(intake=intake, by=request.user, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        lead = intake.assigned_to
        messages.success(
            request,
            _("The intake is with the lead worker, %(worker)s, in the existing file.")
            % {"worker": lead.get_full_name() or lead.get_username() if lead else ""},
        )
    return redirect("casework:intakes")


@require_POST
@audited
def intake_close_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close an intake with a reason. A refusal shows the list again with the reason as
    typed and the message next to it."""
    _require_worker(request)
    intake = intakes_for(request.user).filter(pk=pk).first()
    if intake is None:
        raise Http404
    reason = request.POST.get("reason", "")
    try:
        intake_close(intake=intake, by=request.user, reason=reason, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        return _render_intakes(
            request,
            close_for=intake.pk,
            close_reason=reason,
            close_error=error.messages[0],
            status=400,
        )
    messages.success(request, _("The intake is closed."))
    return redirect("casework:intakes")


@require_http_methods(["GET", "POST"])
@audited
def handover_view(request: AuthenticatedRequest) -> HttpResponse:
    """The team leader moves a worker's households to colleagues, each with a note."""
    if not request.user.has_role(Role.TEAM_LEADER):
        raise Http404
    candidates = list(handover_candidates(request.user))
    worker_id = request.POST.get("worker") or request.GET.get("worker")
    worker = next((c for c in candidates if str(c.pk) == worker_id), None)
    involvements = list(involvements_to_hand_over(request.user, worker)) if worker else []
    password_error = ""
    # A bulk action asks for the password again (Trust issue), here in the same form, so
    # that nothing the leader chose or typed is lost on the way.
    if request.method == "POST" and worker is not None and not recently_authenticated(request):
        if request.user.check_password(request.POST.get("password", "")):
            mark_authenticated(request)
        else:
            audit_record(
                action=AuditAction.LOGIN_FAILED,
                user=request.user,
                request=request,
                allowed=False,
                details={"step": "reauthentication", "for": "handover"},
            )
            password_error = _("Type your password to confirm the handover.")
    if request.method == "POST" and worker is not None and not password_error:
        by_pk = {c.pk: c for c in candidates}
        moves = []
        for involvement in involvements:
            chosen = request.POST.get(f"to-{involvement.pk}", "")
            to = by_pk.get(int(chosen)) if chosen.isdigit() else None
            if to is None:
                continue
            moves.append(Move(involvement, to, request.POST.get(f"note-{involvement.pk}", "")))
        if not moves:
            messages.error(request, _("Choose for at least one household who takes it over."))
        else:
            try:
                count = handover(leader=request.user, moves=moves, request=request)
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("%(count)s households handed over.") % {"count": count})
                return redirect(f"{reverse('casework:handover')}?worker={worker.pk}")
    if involvements:
        note_look(
            request,
            action=AuditAction.READ,
            subjects=[pid for i in involvements for pid in i.household.current_member_ids()],
            ground=Ground.TEAM_LEADER,
            details={"page": "handover", "worker": worker.get_username() if worker else ""},
        )
    return render(
        request,
        "casework/handover.html",
        {
            "candidates": candidates,
            "needs_password": not recently_authenticated(request),
            "password_error": password_error,
            "worker": worker,
            # What the leader typed comes back after an error.
            "rows": [
                (
                    i,
                    request.POST.get(f"to-{i.pk}", ""),
                    request.POST.get(f"note-{i.pk}", ""),
                )
                for i in involvements
            ],
        },
    )
