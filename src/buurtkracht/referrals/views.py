"""Pages of warm referrals: a household's list, a new referral from a plan action, and one
referral with its path and the next step. Resident data only through the guard; changes
only for the workers involved and the team leader (casework's write grounds)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.casework.models import Action
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.households.consent import (
    ConsentMissing,
    Purpose,
    consent_current,
    consent_is_valid,
)
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household
from buurtkracht.households.visibility import can_write
from buurtkracht.referrals.forms import AdvanceForm, ReferralForm, TargetSearchForm
from buurtkracht.referrals.models import Referral
from buurtkracht.referrals.queries import referrals_of
from buurtkracht.referrals.services import (
    consent_organisation,
    next_statuses,
    referral_advance,
    referral_propose,
)
from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.search import Filters, published, search

SEARCH_RESULTS = 8


@require_GET
@audited
def referral_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "referrals"})
    return render(
        request,
        "referrals/list.html",
        {
            "household": household,
            "referrals": referrals_of(household),
            "writable": can_write(ground),
        },
    )


def _open_actions(household: Household) -> list[Action]:
    return list(
        Action.objects.filter(
            goal__plan__household=household,
            goal__plan__closed_on__isnull=True,
            status=Action.Status.TO_DO,
        ).order_by("-step", "pk")
    )


def _chosen_resource(value: str) -> Resource | None:
    try:
        key = uuid.UUID(value)
    except ValueError:
        return None
    return published().select_related("provider__organisation").filter(pk=key).first()


@require_http_methods(["GET", "POST"])
@audited
def referral_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request,
        pk,
        action=AuditAction.UPDATE if request.method == "POST" else AuditAction.READ,
        details={"page": "new referral"},
    )
    if not can_write(ground):
        raise Http404
    actions = _open_actions(household)
    members = [m.person for m in household.current_memberships().select_related("person")]
    resource = _chosen_resource(
        request.POST.get("resource", "")
        if request.method == "POST"
        else request.GET.get("bron", "")
    )
    form = ReferralForm(
        request.POST or None,
        actions=[(a.pk, f"{a.step}. {a.description} — {a.owner}") for a in actions],
        people=[(p.pk, p.full_name) for p in members],
        with_resource=resource is not None,
        initial={
            "action": request.GET.get("actie", ""),
            "resource": resource.pk if resource else None,
        },
    )
    consent_missing = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = next((a for a in actions if a.pk == data["action"]), None)
        person = next((p for p in members if p.pk == data["person"]), None)
        if action is None or person is None:
            raise Http404
        try:
            referral = referral_propose(
                household=household,
                person=person,
                action=action,
                user=request.user,
                follow_up_on=data["follow_up_on"],
                resource=resource,
                professional_name=data["professional_name"],
                organisation=data["organisation"],
                professional_phone=data["professional_phone"],
                professional_email=data["professional_email"],
                note=data["note"],
                request=request,
                ground=ground,
            )
        except ConsentMissing as error:
            consent_missing = True
            errors_to_form(form, error)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Referral saved. It is on the list to check again."))
            return redirect("referrals:detail", pk=household.pk, referral_pk=referral.pk)

    search_form = TargetSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    results = (
        list(search(Filters(query=query)).select_related("provider")[:SEARCH_RESULTS])
        if query
        else []
    )
    keep = {"actie": request.GET.get("actie", ""), "q": query}
    organisation = consent_organisation(resource=resource, organisation=None)
    consents = (
        [
            (
                person,
                consent_is_valid(
                    consent_current(
                        person=person,
                        purpose=Purpose.SHARE_WITH_ORGANISATION,
                        organisation=organisation,
                    )
                ),
            )
            for person in members
        ]
        if organisation is not None
        else []
    )
    return render(
        request,
        "referrals/new.html",
        {
            "household": household,
            "form": form,
            "search_form": search_form,
            "query": query,
            "results": results,
            "choose_query": urlencode(keep),
            "resource": resource,
            "organisation": organisation,
            "consents": consents,
            "consent_missing": consent_missing,
            "has_actions": bool(actions),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@audited
def referral_detail(request: AuthenticatedRequest, pk: int, referral_pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request,
        pk,
        action=AuditAction.UPDATE if request.method == "POST" else AuditAction.READ,
        details={"page": "referral", "referral": referral_pk},
    )
    referral = get_object_or_404(
        Referral.objects.select_related(
            "person", "action", "resource__provider__organisation", "organisation", "created_by"
        ),
        pk=referral_pk,
        household=household,
    )
    writable = can_write(ground) and referral.is_open
    form = AdvanceForm.for_record(request.POST or None, referral, statuses=next_statuses(referral))
    consent_missing = False
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            data: dict[str, Any] = form.cleaned_data
            try:
                referral_advance(
                    referral=referral,
                    status=data["status"],
                    user=request.user,
                    note=data["note"],
                    follow_up_on=data["follow_up_on"],
                    appointment_at=form.appointment_at(),
                    reason=data["reason"],
                    request=request,
                    ground=ground,
                    expected_version=form.expected_version(),
                )
            except ChangedMeanwhile:
                form.changed_meanwhile(referral)
            except ConsentMissing as error:
                consent_missing = True
                errors_to_form(form, error)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Step saved."))
                return redirect("referrals:detail", pk=household.pk, referral_pk=referral.pk)
    organisation = consent_organisation(
        resource=referral.resource, organisation=referral.organisation
    )
    return render(
        request,
        "referrals/detail.html",
        {
            "household": household,
            "referral": referral,
            "steps": referral.steps.select_related("by"),
            "form": form,
            "writable": writable,
            "organisation": organisation,
            "consent_missing": consent_missing,
        },
        status=400 if request.method == "POST" else 200,
    )
