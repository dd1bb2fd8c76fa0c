"""Pages on households. Every page that shows resident data reaches it through
`households.guard.household_for_request` (ground checked, look logged) or, for lists and
searches, through `households.visibility` with the look logged by `@audited`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look, note_refusal
from buurtkracht.audit.models import Action, Ground
from buurtkracht.households.consent import consent_record, consent_withdraw
from buurtkracht.households.forms import (
    ConsentForm,
    EmergencyAccessForm,
    HouseholdSearchForm,
    ReviewForm,
)
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Consent, EmergencyAccess, Household, Person
from buurtkracht.households.services import (
    EMERGENCY_ACCESS_MINUTES,
    emergency_access_review,
    emergency_access_start,
    emergency_token,
    household_for_emergency_token,
)
from buurtkracht.households.visibility import reviewable_emergency_accesses


def _require_worker(request: AuthenticatedRequest) -> None:
    if not (request.user.has_role(Role.WORKER) or request.user.has_role(Role.TEAM_LEADER)):
        raise Http404


@require_GET
@audited
def household_search(request: AuthenticatedRequest) -> HttpResponse:
    _require_worker(request)
    form = HouseholdSearchForm(request.GET or None)
    visible: list[Household] = []
    hidden: list[str] = []  # emergency-access tokens
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        condition = Q()
        if data.get("surname") and data.get("date_of_birth"):
            condition |= Q(
                memberships__person__surname__iexact=data["surname"].strip(),
                memberships__person__date_of_birth=data["date_of_birth"],
            )
        if data.get("postcode") and data.get("house_number"):
            condition |= Q(
                address__postcode=data["postcode"], address__house_number=data["house_number"]
            )
        matches = Household.objects.filter(condition).distinct().select_related("address")[:20]
        visible_ids = set(
            Household.objects.visible_to(request.user)
            .filter(pk__in=[h.pk for h in matches])
            .values_list("pk", flat=True)
        )
        visible = [h for h in matches if h.pk in visible_ids]
        # A file the worker may not read is offered only as a signed, short-lived token:
        # no household id to try others with, nothing that links two searches together.
        hidden = [
            emergency_token(worker=request.user, household=h)
            for h in matches
            if h.pk not in visible_ids
        ]
        note_look(
            request,
            action=Action.SEARCH,
            subjects=[pid for h in matches for pid in h.current_member_ids()],
            ground=Ground.ROLE,
            details={
                "terms": {
                    k: (v.isoformat() if hasattr(v, "isoformat") else v)
                    for k, v in data.items()
                    if v
                },
                "found": len(matches),
            },
        )
    return render(
        request,
        "households/search.html",
        {"form": form, "visible": visible, "hidden": hidden},
    )


@require_http_methods(["GET", "POST"])
@audited
def emergency_access(request: AuthenticatedRequest, token: str) -> HttpResponse:
    _require_worker(request)
    household = household_for_emergency_token(worker=request.user, token=token)
    if household is None:
        note_refusal(
            request,
            action=Action.EMERGENCY_ACCESS,
            details={"refused": "invalid or expired token"},
        )
        raise Http404
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            emergency_access_start(
                worker=request.user,
                household=household,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            for message in error.message_dict.get("reason", []):
                form.add_error("reason", message)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.warning(
                request,
                _("Emergency access is open for %(minutes)s minutes. It will be reviewed.")
                % {"minutes": EMERGENCY_ACCESS_MINUTES},
            )
            return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "households/emergency_access.html",
        {"form": form, "minutes": EMERGENCY_ACCESS_MINUTES},
    )


def _reviewable(request: AuthenticatedRequest) -> QuerySet[EmergencyAccess]:
    accesses = reviewable_emergency_accesses(request.user, EmergencyAccess.objects.all())
    if accesses is None:
        raise Http404
    return accesses


@require_GET
def emergency_review_list(request: AuthenticatedRequest) -> HttpResponse:
    # Unreviewed first (NULLS FIRST on both databases), then the newest.
    accesses = (
        _reviewable(request)
        .select_related("worker", "reviewed_by", "household__address")
        .order_by(F("reviewed_at").asc(nulls_first=True), "-started_at")[:200]
    )
    return render(
        request,
        "households/emergency_review.html",
        {"accesses": accesses, "form": ReviewForm()},
    )


@require_POST
def emergency_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _reviewable(request).filter(pk=pk).first()
    if access is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            emergency_access_review(
                access=access,
                reviewer=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Review saved."))
    else:
        messages.error(request, _("Write your judgement before you save the review."))
    return redirect(reverse("households:emergency-review-list"))


def _require_staff_ground(request: AuthenticatedRequest, ground: str) -> None:
    """Recording consent is a worker's act; a resident reads their register (portal later)."""
    if ground == Ground.OWN_DATA:
        raise Http404


@require_http_methods(["GET", "POST"])
@audited
def household_consents(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "consents"})
    members = Person.objects.filter(memberships__in=household.current_memberships()).distinct()
    form = ConsentForm(request.POST or None, members=members)
    if request.method == "POST":
        _require_staff_ground(request, ground)
        if form.is_valid():
            data = form.cleaned_data
            try:
                consent_record(
                    person=data["person"],
                    purpose=data["purpose"],
                    given=data["given"],
                    method=data["method"],
                    recorded_by=request.user,
                    organisation=data.get("organisation"),
                    counterpart=data.get("counterpart") or "",
                    valid_until=data.get("valid_until"),
                    note=data.get("note") or "",
                    request=request,
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect("households:consents", pk=household.pk)
    register = (
        Consent.objects.filter(person__in=members)
        .select_related("person", "organisation", "recorded_by")
        .order_by("person__surname", "person_id", "-recorded_at", "-id")
    )
    current: dict[tuple[int, str, int | None, str], Consent] = {}
    for consent in register:
        key = (
            consent.person_id,
            consent.purpose,
            consent.organisation_id,
            consent.counterpart.lower(),
        )
        current.setdefault(key, consent)
    return render(
        request,
        "households/consents.html",
        {
            "household": household,
            "form": form,
            "current": [c for c in current.values()],
            "history": register,
            "can_record": ground != Ground.OWN_DATA,
            "today": timezone.localdate(),
        },
    )


@require_POST
@audited
def consent_withdraw_view(request: AuthenticatedRequest, pk: int, consent_pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "consent-withdraw"})
    _require_staff_ground(request, ground)
    consent = Consent.objects.filter(
        pk=consent_pk, person__in=household.current_member_ids()
    ).first()
    if consent is None:
        raise Http404
    method = request.POST.get("method", "")
    try:
        consent_withdraw(consent=consent, recorded_by=request.user, method=method, request=request)
    except ValidationError:
        messages.error(request, _("Choose how the resident withdrew their consent."))
    else:
        messages.success(request, _("Consent withdrawn. It no longer counts, from now on."))
    return redirect("households:consents", pk=household.pk)
