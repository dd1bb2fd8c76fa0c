"""Pages of mandates: recording a decision under a mandate on a household file (the
list is a section of the household page, `mandates/_section.html`), the partner's page
of the decisions under its own mandates, and the report of each mandate's use.

Resident data only through the guard (the household) or the visibility module (the
partner's organisation); every look at a decision with a resident is logged."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.core import disclosure
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.visibility import can_write, mandate_partner_organisation
from buurtkracht.mandates.forms import MandateDecisionForm
from buurtkracht.mandates.models import Mandate
from buurtkracht.mandates.queries import (
    all_mandates,
    mandate_usage,
    partner_decisions,
    partner_mandates,
    usable_mandates,
)
from buurtkracht.mandates.services import decision_record

# Who reads the report of a mandate's use (figures only, rounded: decision 0009).
REPORT_ROLES = (Role.FUNCTIONAL_ADMIN, Role.TEAM_LEADER, Role.POLICY_ADVISOR)

# The legal ground of what the partner reads, shown on its page and logged with each look.
LEGAL_GROUND = (
    "AVG art. 6(1)(e) with the mandate agreement: the decision is the organisation's own, "
    "taken on its behalf; name and date of birth identify its customer"
)


@require_http_methods(["GET", "POST"])
@audited
def decision_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request,
        pk,
        action=AuditAction.UPDATE if request.method == "POST" else AuditAction.READ,
        details={"page": "decision under a mandate"},
    )
    if not can_write(ground):
        raise Http404
    members = [m.person for m in household.current_memberships().select_related("person")]
    mandates = usable_mandates(request.user)
    form = MandateDecisionForm(request.POST or None, mandates=mandates, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next(p for p in members if p.pk == data["person"])
        try:
            decision = decision_record(
                mandate=data["mandate"],
                household=household,
                person=person,
                what=data["what"],
                amount_cents=form.amount_cents(),
                reason=data["reason"],
                user=request.user,
                ground=ground,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Decision recorded under the mandate of %(organisation)s.")
                % {"organisation": decision.mandate.organisation},
            )
            return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "mandates/new.html",
        {"household": household, "form": form, "has_mandates": mandates.exists()},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@audited
def partner_page(request: AuthenticatedRequest) -> HttpResponse:
    """The partner liaison's page: the decisions under their organisation's mandates."""
    organisation_id = mandate_partner_organisation(request.user)
    if organisation_id is None:
        raise Http404
    decisions = list(partner_decisions(organisation_id))
    note_look(
        request,
        subjects=sorted({d.person_id for d in decisions}),
        ground=Ground.ROLE,
        on_behalf_of=str(request.user.organisation),
        details={
            "page": "decisions under our mandates",
            "decisions": len(decisions),
            "legal_ground": LEGAL_GROUND,
        },
    )
    return render(
        request,
        "mandates/partner.html",
        {
            "organisation": request.user.organisation,
            "decisions": decisions,
            "mandates": partner_mandates(organisation_id),
        },
    )


@require_GET
@role_required(*REPORT_ROLES)
def mandate_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "mandates/list.html", {"mandates": all_mandates()})


@require_GET
@role_required(*REPORT_ROLES)
def mandate_report(request: AuthenticatedRequest, mandate_pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate.objects.select_related("organisation"), pk=mandate_pk)
    return render(
        request,
        "mandates/report.html",
        {
            "mandate": mandate,
            "usage": mandate_usage(mandate),
            "explanation": disclosure.explanation(),
            "share_base": disclosure.SHARE_BASE,
        },
    )
