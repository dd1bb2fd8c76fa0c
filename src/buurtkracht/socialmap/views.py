"""Pages of the social map. Who may do what (issue 6):

| role | read | add / edit | propose | moderate | import / export |
|---|---|---|---|---|---|
| worker | yes | yes | – | – | – |
| team leader | yes | yes | – | yes | – |
| community worker | yes | yes | – | yes | yes |
| volunteer (coordinator), resident | yes | – | yes | – | – |
| functional administrator | – | – | – | – | yes |

Anyone else gets a 404. The social map holds no resident data, so these pages log only
writes, imports and exports.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.core.disclosure import published
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.queries import uuid_or_404
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.socialmap import hsds, services
from buurtkracht.socialmap.forms import (
    ImportForm,
    RejectForm,
    ResourceEditForm,
    ResourceForm,
    SearchForm,
)
from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.search import count_capped, search

EDIT_ROLES = (Role.WORKER, Role.TEAM_LEADER, Role.COMMUNITY_WORKER)
PROPOSE_ROLES = (Role.VOLUNTEER, Role.VOLUNTEER_COORDINATOR, Role.RESIDENT)
READ_ROLES = EDIT_ROLES + PROPOSE_ROLES
MODERATE_ROLES = services.MODERATORS
EXCHANGE_ROLES = (Role.COMMUNITY_WORKER, Role.FUNCTIONAL_ADMIN)
PAGE_SIZE = 20
# Results are counted up to here; beyond it the page says "more than 1,000" and asks for a
# sharper search (50 pages of 20 is more than anyone reads on a phone).
COUNT_CAP = 1000


class CountedPaginator(Paginator[Any]):
    """A paginator told its count, so it does not count the (ranked) results again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _may(request: AuthenticatedRequest, roles: tuple[str, ...]) -> bool:
    return any(request.user.has_role(role) for role in roles)


@require_GET
@role_required(*READ_ROLES)
def search_page(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = form.filters()
    results = search(filters).select_related("provider")
    total, more = count_capped(filters, COUNT_CAP)
    page = CountedPaginator(results, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "socialmap/search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(request.GET),
            "more": more,
            "cap": COUNT_CAP,
            "may_edit": _may(request, EDIT_ROLES),
            "may_propose": _may(request, PROPOSE_ROLES),
            "may_moderate": _may(request, MODERATE_ROLES),
            "may_exchange": _may(request, EXCHANGE_ROLES),
            "waiting": Resource.objects.filter(status=Resource.Status.PROPOSED).count()
            if _may(request, MODERATE_ROLES)
            else 0,
        },
    )


def _visible(request: AuthenticatedRequest, pk: str) -> Resource:
    """Published entries for every reader; a proposal only for moderators and for the one
    who proposed it."""
    resource = get_object_or_404(Resource.objects.select_related("provider"), pk=uuid_or_404(pk))
    if resource.status == Resource.Status.PUBLISHED:
        return resource
    if _may(request, MODERATE_ROLES) or resource.proposed_by_id == request.user.pk:
        return resource
    raise Http404


@require_GET
@role_required(*READ_ROLES)
def detail(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    resource = _visible(request, pk)
    places = resource.places.select_related("location").prefetch_related("hours")
    started: int | None = None
    if _may(request, EDIT_ROLES):
        # A count only, rounded to base 5 as every published figure (core.disclosure):
        # no resident can be recognised from it.
        from buurtkracht.outcomes.reports import Period, referrals_started_per_resource

        today = timezone.localdate()
        year = Period(today - dt.timedelta(days=365), today)
        started = published(referrals_started_per_resource(year).get(resource.pk, 0))
    return render(
        request,
        "socialmap/detail.html",
        {
            "resource": resource,
            "places": places,
            "neighbourhoods": resource.neighbourhoods.order_by("name"),
            "may_edit": _may(request, EDIT_ROLES) and resource.status != Resource.Status.REJECTED,
            "may_moderate": _may(request, MODERATE_ROLES)
            and resource.status == Resource.Status.PROPOSED,
            "reject_form": RejectForm(),
            "referrals_started": started,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*READ_ROLES)
def new(request: AuthenticatedRequest) -> HttpResponse:
    proposal = not _may(request, EDIT_ROLES)
    form = ResourceForm(request.POST or None, proposal=proposal)
    if not request.POST:
        form.initial = {"access": Resource.Access.OPEN, "city": "", "kind": Resource.Kind.SERVICE}
        if not proposal:
            form.initial["verified_on"] = timezone.localdate().strftime("%d-%m-%Y")
    if request.method == "POST" and form.is_valid():
        try:
            if proposal:
                resource = services.resource_propose(
                    data=form.resource_input(), user=request.user, request=request
                )
            else:
                resource = services.resource_create(
                    data=form.resource_input(), user=request.user, request=request
                )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if proposal:
                messages.success(
                    request,
                    _("Thank you. Your proposal is waiting for a community worker to check it."),
                )
            else:
                messages.success(request, _("The entry is on the social map."))
            return redirect("socialmap:detail", pk=resource.pk)
    return render(
        request,
        "socialmap/form.html",
        {"form": form, "proposal": proposal, "resource": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*EDIT_ROLES)
def edit(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    resource = _visible(request, pk)
    if resource.status == Resource.Status.REJECTED:
        raise Http404
    form = ResourceEditForm.for_record(request.POST or None, resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                resource=resource,
                data=form.resource_input(),
                user=request.user,
                request=request,
                expected_version=form.expected_version(),
            )
        except ChangedMeanwhile:
            form.changed_meanwhile(_visible(request, pk))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("socialmap:detail", pk=resource.pk)
    return render(
        request,
        "socialmap/form.html",
        {"form": form, "proposal": False, "resource": resource},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(*EDIT_ROLES)
def verify(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    resource = _visible(request, pk)
    services.resource_verify(resource=resource, user=request.user, request=request)
    messages.success(request, _("Marked as checked today."))
    return redirect("socialmap:detail", pk=resource.pk)


@require_GET
@role_required(*MODERATE_ROLES)
def proposals(request: AuthenticatedRequest) -> HttpResponse:
    waiting = (
        Resource.objects.filter(status=Resource.Status.PROPOSED)
        .select_related("provider", "proposed_by")
        .order_by("created_at")
    )
    return render(request, "socialmap/proposals.html", {"proposals": waiting})


@require_POST
@role_required(*MODERATE_ROLES)
def moderate(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=uuid_or_404(pk), status=Resource.Status.PROPOSED)
    if request.POST.get("decision") == "accept":
        services.resource_accept(resource=resource, user=request.user, request=request)
        messages.success(request, _("The proposal is accepted and on the social map."))
        return redirect("socialmap:detail", pk=resource.pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        services.resource_reject(
            resource=resource,
            reason=form.cleaned_data["reason"],
            user=request.user,
            request=request,
        )
        messages.success(request, _("The proposal is rejected."))
        return redirect("socialmap:proposals")
    places = resource.places.select_related("location").prefetch_related("hours")
    return render(
        request,
        "socialmap/detail.html",
        {
            "resource": resource,
            "places": places,
            "neighbourhoods": resource.neighbourhoods.order_by("name"),
            "may_edit": True,
            "may_moderate": True,
            "reject_form": form,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
@role_required(*EXCHANGE_ROLES)
def exchange(request: AuthenticatedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.hsds_import(
                raw=form.cleaned_data["file"].read(), user=request.user, request=request
            )
        except hsds.ImportError_ as error:
            form.add_error("file", str(error))
    return render(
        request,
        "socialmap/exchange.html",
        {
            "form": form,
            "result": result,
            "published": Resource.objects.filter(status=Resource.Status.PUBLISHED).count(),
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


@require_GET
@role_required(*EXCHANGE_ROLES)
def export(request: AuthenticatedRequest) -> HttpResponse:
    document = services.hsds_export(user=request.user, request=request)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="sociale-kaart-hsds-{stamp}.json"'
    return response
