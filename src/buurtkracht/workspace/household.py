"""The household page: the file as a worker, team leader or the resident sees it, with the
plan at a glance, the timeline, intakes and open signal reports — a page that combines
domains, so it lives on the top floor (docs/decisions/0006-floors.md). The guard
(`households.guard.household_for_request`) decides the ground and notes the look; `@audited`
records it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.forms import ContactForm
from buurtkracht.casework.message_queries import unread_counts
from buurtkracht.casework.queries import (
    household_appointments,
    household_intakes,
    plan_overview,
    timeline,
)
from buurtkracht.casework.services import contact_record
from buurtkracht.casework.services.messages import READ_GROUNDS as MESSAGE_GROUNDS
from buurtkracht.core.forms import errors_to_form
from buurtkracht.documents.queries import documents_of
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household, Involvement
from buurtkracht.households.queries import (
    co_worker_candidates,
    outside_professionals_on_file,
)
from buurtkracht.households.rights import ANSWERING_GROUNDS, requests_on_file
from buurtkracht.households.visibility import can_write
from buurtkracht.mandates.queries import decisions_of as mandate_decisions_of
from buurtkracht.signals.queries import household_signal_reports


def render_household(
    request: AuthenticatedRequest,
    household: Household,
    ground: str,
    *,
    contact_form: ContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The household file: members, who is involved, the plan at a glance, the quick
    contact form and the timeline. Called after the guard has checked and logged."""
    memberships = list(
        household.current_memberships().select_related("person").order_by("role", "person__surname")
    )
    # Everyone ever involved, in one query: those involved now (the lead first, then who
    # came first) and those ended (newest end first), kept on the file, never deleted.
    today = timezone.localdate()
    every_involvement = list(
        household.involvements.select_related("worker__organisation").order_by(
            Case(When(kind=Involvement.Kind.LEAD, then=0), default=1), "start_date", "pk"
        )
    )
    involvements = [i for i in every_involvement if i.end_date is None or i.end_date >= today]
    ended_involvements = sorted(
        (i for i in every_involvement if i.end_date is not None and i.end_date < today),
        key=lambda i: (i.end_date, i.pk),
        reverse=True,
    )
    writable = can_write(ground)
    # The lead worker and the team leader change who is involved (households.grants).
    may_change = ground == Ground.TEAM_LEADER or (
        ground == Ground.INVOLVEMENT
        and any(
            i.kind == Involvement.Kind.LEAD and i.worker_id == request.user.pk for i in involvements
        )
    )
    professionals, ended_professionals = outside_professionals_on_file(
        household, [m.person for m in memberships]
    )
    emergency = None
    if ground == Ground.EMERGENCY:
        emergency = (
            household.emergency_accesses.filter(worker=request.user, expires_at__gt=timezone.now())
            .order_by("-expires_at")
            .first()
        )
    return render(
        request,
        "workspace/household.html",
        {
            "household": household,
            "memberships": memberships,
            "involvements": involvements,
            "has_lead": any(i.kind == Involvement.Kind.LEAD for i in involvements),
            "professionals": professionals,
            "ended_involvements": ended_involvements,
            "ended_professionals": ended_professionals,
            "may_change_involved": may_change,
            "co_worker_candidates": list(co_worker_candidates(household)) if may_change else [],
            "ground": ground,
            "ground_label": Ground(ground).label,
            "emergency": emergency,
            "overview": plan_overview(household),
            "timeline": timeline(household, ground),
            "appointments": household_appointments(household),
            # The workers' note is for the workers: not on the resident's own view.
            "show_appointment_notes": ground != Ground.OWN_DATA,
            # What reporters said stays with the team: not on the resident's own view.
            "intakes": household_intakes(household)
            if ground in (Ground.INVOLVEMENT, Ground.TEAM_LEADER, Ground.TEAM)
            else [],
            # Open files get their signal reports on the page (vroegsignalering).
            "signal_reports": household_signal_reports(household),
            "may_open_reports": ground in (Ground.INVOLVEMENT, Ground.TEAM_LEADER, Ground.TEAM),
            "writable": writable,
            "contact_form": contact_form or ContactForm(),
            # Documents on the file, on the same grounds as the file (documents/_section.html).
            "documents": documents_of(household),
            # A resident's correction requests (AVG art. 16) for those who answer them.
            "data_requests": requests_on_file(household) if ground in ANSWERING_GROUNDS else [],
            # Decisions under a partner's mandate, on the same grounds as the file
            # (mandates/_section.html); those who may write the file record them.
            "mandate_decisions": mandate_decisions_of(household),
            # The conversation with the resident, for those in it or reading along.
            "messages_unread": unread_counts(request.user, [household.pk]).get(household.pk, 0)
            if ground in MESSAGE_GROUNDS
            else None,
        },
        status=status,
    )


@require_GET
@audited
def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk)
    return render_household(request, household, ground)


@require_POST
@audited
def contact_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, action=AuditAction.UPDATE)
    if not can_write(ground):
        raise Http404
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact_record(
                household=household,
                worker=request.user,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                sensitive=form.cleaned_data["sensitive"],
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("workspace:household", pk=household.pk)
    # Back to the file with the errors and everything typed kept.
    return render_household(request, household, ground, contact_form=form, status=400)
