"""Consent online, the resident's side (issue 19): their own consents, giving one,
limiting one in time and withdrawing one — with what happens next said before they
confirm (the referrals that stop). On the top floor because that explanation reads the
referrals. Only the resident themselves, on the ground of their own data; everyone else
gets a 404, and the worker keeps recording consent on the file's consent page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Ground
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.consent import Purpose, consent_is_valid
from buurtkracht.households.consent_online import (
    consent_by_resident,
    consent_limit_by_resident,
    consent_withdraw_by_resident,
)
from buurtkracht.households.forms import (
    RESIDENT_PURPOSES,
    ConsentLimitForm,
    ResidentConsentForm,
)
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Consent, Household
from buurtkracht.referrals.queries import open_referrals_sharing_with


def _own_file(request: AuthenticatedRequest, pk: int) -> tuple[Household, int]:
    """The resident's own household and the resident's person, the look logged; the
    change itself is logged by the consent service."""
    household, ground = household_for_request(request, pk, details={"page": "my-consent"})
    person_id = request.user.person_id
    if ground != Ground.OWN_DATA or person_id is None:
        raise Http404
    if person_id not in household.current_member_ids():
        raise Http404
    return household, person_id


def _own_current(person_id: int) -> list[Consent]:
    """The entry that decides now, per purpose and counterpart, for the resident."""
    current: dict[tuple[str, int | None, str], Consent] = {}
    entries = (
        Consent.objects.filter(person_id=person_id)
        .select_related("organisation", "recorded_by")
        .order_by("-recorded_at", "-id")
    )
    for consent in entries:
        current.setdefault(
            (consent.purpose, consent.organisation_id, consent.counterpart.lower()), consent
        )
    return list(current.values())


def _own_consent(person_id: int, consent_pk: int) -> Consent:
    consent = (
        Consent.objects.filter(pk=consent_pk, person_id=person_id)
        .select_related("organisation")
        .first()
    )
    if consent is None:
        raise Http404
    return consent


@require_http_methods(["GET", "POST"])
@audited
def my_consent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, person_id = _own_file(request, pk)
    form = ResidentConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_by_resident(
                resident=request.user,
                household=household,
                purpose=data["purpose"],
                given=True,
                organisation=data.get("organisation"),
                counterpart=data.get("counterpart") or "",
                valid_until=data.get("valid_until"),
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Thank you. Your consent is saved; your worker sees it."))
            return redirect("workspace:my-consent", pk=household.pk)
    return _page(request, household, person_id, form=form)


def _limit_form(consent: Consent, data: object = None) -> ConsentLimitForm:
    """One small form per consent card; ids of its own, so the error summary's link lands
    on the right card."""
    return ConsentLimitForm(data, prefix="limit", auto_id=f"id_%s_{consent.pk}")  # type: ignore[arg-type]


def _page(
    request: AuthenticatedRequest,
    household: Household,
    person_id: int,
    *,
    form: ResidentConsentForm | None = None,
    refused_limit: ConsentLimitForm | None = None,
    limit_for: int | None = None,
) -> HttpResponse:
    """The resident's consent page; a refused limit shows its error at its own consent,
    with the date as typed."""
    rows = [
        (
            consent,
            RESIDENT_PURPOSES.get(consent.purpose, consent.get_purpose_display()),
            consent_is_valid(consent),
            refused_limit if consent.pk == limit_for else _limit_form(consent),
        )
        for consent in _own_current(person_id)
    ]
    return render(
        request,
        "workspace/my_consent.html",
        {
            "household": household,
            "rows": rows,
            "form": form or ResidentConsentForm(),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@audited
def my_consent_withdraw(request: AuthenticatedRequest, pk: int, consent_pk: int) -> HttpResponse:
    household, person_id = _own_file(request, pk)
    consent = _own_consent(person_id, consent_pk)
    if request.method == "POST":
        try:
            consent_withdraw_by_resident(
                resident=request.user, household=household, consent=consent, request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Your consent is withdrawn. From now on nothing more is shared.")
            )
        return redirect("workspace:my-consent", pk=household.pk)
    purpose = RESIDENT_PURPOSES.get(consent.purpose, consent.get_purpose_display())
    stopping = (
        open_referrals_sharing_with(consent.person_id, consent.organisation_id)
        if consent.purpose == Purpose.SHARE_WITH_ORGANISATION and consent.organisation_id
        else []
    )
    return render(
        request,
        "workspace/my_consent_withdraw.html",
        {"household": household, "consent": consent, "purpose": purpose, "stopping": stopping},
    )


@require_http_methods(["POST"])
@audited
def my_consent_limit(request: AuthenticatedRequest, pk: int, consent_pk: int) -> HttpResponse:
    household, person_id = _own_file(request, pk)
    consent = _own_consent(person_id, consent_pk)
    form = _limit_form(consent, request.POST)
    if form.is_valid():
        try:
            consent_limit_by_resident(
                resident=request.user,
                household=household,
                consent=consent,
                valid_until=form.cleaned_data["valid_until"],
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your consent now holds until the date you chose."))
            return redirect("workspace:my-consent", pk=household.pk)
    return _page(request, household, person_id, refused_limit=form, limit_for=consent.pk)
