"""Who else is involved (*één gezin, één plan*): co-workers from the team, outside
professionals and handing over the lead, from the household file. The pages combine the
household file with the social map (a higher floor than `households`), so they live on the
top floor. Every view reaches the file through `households.guard.household_for_request`
(404 without a ground) and writes through the services, which log each change."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.handover import lead_candidates, lead_handover
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.grants import is_lead_worker
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household, Involvement, OutsideProfessional, Person
from buurtkracht.households.queries import co_worker_candidates
from buurtkracht.households.services import (
    co_worker_add,
    co_worker_end,
    outside_professional_add,
    outside_professional_end,
    outside_professional_sharing_set,
)
from buurtkracht.households.visibility import can_write
from buurtkracht.referrals.forms import TargetSearchForm
from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.search import Filters, search
from buurtkracht.workspace.forms import (
    CoWorkerForm,
    LeadHandoverForm,
    OutsideProfessionalForm,
    SharingForm,
)

SEARCH_RESULTS = 10


def may_change_involved(request: AuthenticatedRequest, household: Household, ground: str) -> bool:
    """The lead worker and the team leader of a serving team add and end co-workers and
    hand over the lead (households.grants.file_grant_ground)."""
    return ground == Ground.TEAM_LEADER or (
        ground == Ground.INVOLVEMENT and is_lead_worker(request.user, household)
    )


def _file_for_change(request: AuthenticatedRequest, pk: int) -> tuple[Household, str]:
    household, ground = household_for_request(request, pk, action=AuditAction.UPDATE)
    if not may_change_involved(request, household, ground):
        raise Http404
    return household, ground


def _members(household: Household) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=household.current_member_ids()).order_by(
        "surname", "given_names"
    )


@require_POST
@audited
def co_worker_add_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, _ground = _file_for_change(request, pk)
    form = CoWorkerForm(request.POST, candidates=co_worker_candidates(household))
    if form.is_valid():
        try:
            involvement = co_worker_add(
                household=household,
                worker=form.cleaned_data["worker"],
                by=request.user,
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("%(name)s is now a co-worker of this household.")
                % {"name": involvement.worker.get_full_name() or involvement.worker.get_username()},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("workspace:household", pk=household.pk)


@require_POST
@audited
def co_worker_end_view(request: AuthenticatedRequest, pk: int, involvement_pk: int) -> HttpResponse:
    household, _ground = _file_for_change(request, pk)
    involvement = (
        Involvement.objects.select_related("worker", "household")
        .filter(pk=involvement_pk, household=household, kind=Involvement.Kind.CO_WORKER)
        .first()
    )
    if involvement is None:
        raise Http404
    try:
        co_worker_end(involvement=involvement, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a co-worker of this household.")
            % {"name": involvement.worker.get_full_name() or involvement.worker.get_username()},
        )
    return redirect("workspace:household", pk=household.pk)


@require_http_methods(["GET", "POST"])
@audited
def lead_handover_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, _ground = _file_for_change(request, pk)
    candidates = lead_candidates(household)
    form = LeadHandoverForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            new = lead_handover(
                household=household,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now the lead worker of this household.")
                % {"name": new.worker.get_full_name() or new.worker.get_username()},
            )
            return redirect("workspace:household", pk=household.pk)
    lead = (
        household.involvements.filter(kind=Involvement.Kind.LEAD, end_date__isnull=True)
        .select_related("worker")
        .first()
    )
    return render(
        request,
        "workspace/lead_handover.html",
        {"household": household, "form": form, "lead": lead},
        status=400 if request.method == "POST" else 200,
    )


def _picked(request: AuthenticatedRequest) -> Resource | None:
    """The social-map entry chosen (?bron=), published only, or None."""
    source = request.POST.get("socialmap_resource") or request.GET.get("bron", "")
    if not source:
        return None
    try:
        return (
            Resource.objects.select_related("provider__organisation")
            .filter(pk=source, status=Resource.Status.PUBLISHED)
            .first()
        )
    except ValidationError:
        return None


@require_http_methods(["GET", "POST"])
@audited
def outside_professional_add_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request, pk, action=AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    )
    if not can_write(ground):
        raise Http404
    members = _members(household)
    resource = _picked(request)
    initial = {}
    if resource is not None:
        # Copy the values: the file keeps what was true when the professional came in.
        initial = {
            "name": resource.contact_name,
            "organisation": resource.provider.organisation,
            "organisation_name": resource.provider.name,
            "role": resource.name,
            "phone": resource.contact_phone,
            "email": resource.contact_email,
            "socialmap_resource": resource.pk,
        }
    form = OutsideProfessionalForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outside_professional_add(
                household=household,
                by=request.user,
                ground=ground,
                name=data["name"],
                organisation_name=data["organisation_name"],
                organisation=data["organisation"],
                role=data["role"],
                phone=data["phone"],
                email=data["email"],
                person=data["person"],
                shares_data=data["shares_data"],
                start_date=data["start_date"],
                socialmap_resource=resource.pk if resource else None,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The professional is on the file."))
            return redirect("workspace:household", pk=household.pk)
    search_form = TargetSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    results = (
        list(search(Filters(query=query)).select_related("provider")[:SEARCH_RESULTS])
        if query and resource is None
        else []
    )
    return render(
        request,
        "workspace/outside_professional_add.html",
        {
            "household": household,
            "form": form,
            "search_form": search_form,
            "query": query,
            "results": results,
            "resource": resource,
            "choose_query": urlencode({"q": query}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _professional(household: Household, professional_pk: int) -> OutsideProfessional:
    professional = (
        OutsideProfessional.objects.select_related("household", "organisation", "person")
        .filter(pk=professional_pk, household=household)
        .first()
    )
    if professional is None:
        raise Http404
    return professional


@require_POST
@audited
def outside_professional_end_view(
    request: AuthenticatedRequest, pk: int, professional_pk: int
) -> HttpResponse:
    household, ground = household_for_request(request, pk, action=AuditAction.UPDATE)
    if not can_write(ground):
        raise Http404
    professional = _professional(household, professional_pk)
    try:
        outside_professional_end(
            professional=professional, by=request.user, ground=ground, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer involved. They stay on the file under “Involved before”.")
            % {"name": professional.name},
        )
    return redirect("workspace:household", pk=household.pk)


@require_POST
@audited
def outside_professional_sharing_view(
    request: AuthenticatedRequest, pk: int, professional_pk: int
) -> HttpResponse:
    household, ground = household_for_request(request, pk, action=AuditAction.UPDATE)
    if not can_write(ground):
        raise Http404
    professional = _professional(household, professional_pk)
    form = SharingForm(request.POST, members=_members(household))
    form.is_valid()
    shares = bool(form.cleaned_data.get("shares_data"))
    try:
        outside_professional_sharing_set(
            professional=professional,
            shares_data=shares,
            by=request.user,
            ground=ground,
            person=form.cleaned_data.get("person"),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (
                _("Marked: data is shared with %(name)s.")
                if shares
                else _("Marked: no data is shared with %(name)s.")
            )
            % {"name": professional.name},
        )
    return redirect("workspace:household", pk=household.pk)
