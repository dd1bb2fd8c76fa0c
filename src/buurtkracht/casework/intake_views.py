"""Intake pages: register an intake, and the team's list where the leader assigns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.forms import IntakeForm
from buurtkracht.casework.intake import (
    ExistingFilesFound,
    current_teams,
    intake_assign,
    intake_create,
    intakes_for,
)


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
        except ExistingFilesFound as found:
            existing = found.files
            form.add_error(None, found.messages[0])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
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


@require_http_methods(["GET"])
def intake_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_worker(request)
    intakes = list(intakes_for(request.user))
    led = set(
        current_teams(request.user, TeamMembership.Position.TEAM_LEADER).values_list(
            "pk", flat=True
        )
    )
    workers_by_team: dict[int, list[User]] = {}
    for membership in (
        TeamMembership.objects.filter(
            team_id__in=led, position=TeamMembership.Position.WORKER, end_date__isnull=True
        )
        .select_related("user")
        .order_by("user__last_name")
    ):
        workers_by_team.setdefault(membership.team_id, []).append(membership.user)
    if intakes:
        audit_record(
            action=AuditAction.READ,
            user=request.user,
            request=request,
            subjects=[
                pid
                for i in intakes
                if i.household is not None
                for pid in i.household.current_member_ids()
            ],
            ground=Ground.TEAM,
            details={"page": "intakes", "count": len(intakes)},
        )
    rows = [(intake, workers_by_team.get(intake.team_id or 0, [])) for intake in intakes]
    return render(request, "casework/intakes.html", {"rows": rows})


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
