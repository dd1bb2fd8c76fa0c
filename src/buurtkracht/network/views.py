"""Netwerkkaart: the support-network map of a household's residents, its versions and the
comparison of two moments. Resident data only through the guard
(buurtkracht.households.guard.household_for_request), which checks the ground and logs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import Action as PlanAction
from buurtkracht.core.forms import DATE_FORMATS, errors_to_form
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household, Person
from buurtkracht.households.visibility import can_write
from buurtkracht.network.drawing import TieState, describe, legend, network_drawing
from buurtkracht.network.forms import (
    TieAddForm,
    TieEditForm,
    TieEndForm,
    VersionForm,
)
from buurtkracht.network.models import NetworkVersion, Tie
from buurtkracht.network.queries import (
    centre_people,
    compare,
    ended_ties,
    label_of,
    tie_state,
    ties_on,
    version_states,
    versions_of,
)
from buurtkracht.network.services import (
    tie_add,
    tie_end,
    tie_set_do_not_contact,
    tie_update,
    version_save,
)

NOW = "nu"


def may_change_ties(ground: str) -> bool:
    """The workers who may change the plan, and the resident: it is their map."""
    return can_write(ground) or ground == Ground.OWN_DATA


def _centre(household: Household, value: str | None) -> tuple[Person, list[Person]]:
    people = centre_people(household)
    if not people:
        raise Http404("No members")
    if value:
        chosen = next((p for p in people if str(p.pk) == value), None)
        if chosen is None:
            raise Http404("Not a member")
        return chosen, people
    return people[0], people


def _map_url(household: Household, person: Person, name: str = "network:map") -> str:
    return f"{reverse(name, args=[household.pk])}?{urlencode({'persoon': person.pk})}"


def _parse_date(value: str | None) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value or "", fmt).date()
        except ValueError:
            continue
    return None


def _picture(states: list[TieState], person: Person, prefix: str) -> dict[str, Any]:
    return {
        "drawing": network_drawing(states, person.full_name),
        "description": describe(states, person.full_name),
        "states": states,
        "rows": _rows(states),
        "chart_id": prefix,
    }


def _rows(states: list[TieState]) -> list[dict[str, Any]]:
    return [
        {
            "tie": state,
            "kind": label_of("kind", state.kind),
            "closeness": label_of("closeness", state.closeness),
            "quality": label_of("quality", state.quality),
            "support": label_of("support", state.support),
            "energy": label_of("energy", state.energy),
            "contact": label_of("contact", state.contact),
        }
        for state in sorted(states, key=lambda s: (s.closeness, s.name.lower()))
    ]


@require_GET
@audited
def network_map(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "network"})
    person, people = _centre(household, request.GET.get("persoon"))
    on = _parse_date(request.GET.get("op"))
    today = timezone.localdate()
    if on is not None and on > today:
        on = None
    ties = list(ties_on(household, person, on))
    states = [tie_state(tie) for tie in ties]
    owned = (
        PlanAction.objects.filter(owner_tie__in=ties, status=PlanAction.Status.TO_DO)
        .select_related("owner_tie")
        .order_by("due_date", "pk")
    )
    actions_by_tie: dict[int, list[PlanAction]] = {}
    for action in owned:
        if action.owner_tie_id is not None:
            actions_by_tie.setdefault(action.owner_tie_id, []).append(action)
    return render(
        request,
        "network/map.html",
        {
            "household": household,
            "person": person,
            "people": people,
            "on": on,
            "for_resident": ground == Ground.OWN_DATA,
            "may_change": may_change_ties(ground) and on is None,
            "may_save_version": can_write(ground) and on is None,
            "ties": [(tie, actions_by_tie.get(tie.pk, [])) for tie in ties],
            "ended": list(ended_ties(household, person)[:20]) if on is None else [],
            "picture": _picture(states, person, "map"),
            "legend": legend(),
            "versions": list(versions_of(household, person)),
            "version_form": VersionForm(),
            "map_url": _map_url(household, person),
        },
    )


@require_GET
@audited
def network_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, _ground = household_for_request(
        request, pk, action=AuditAction.PRINT, details={"page": "network print"}
    )
    person, _people = _centre(household, request.GET.get("persoon"))
    states = [tie_state(tie) for tie in ties_on(household, person)]
    return render(
        request,
        "network/print.html",
        {
            "household": household,
            "person": person,
            "today": timezone.localdate(),
            "picture": _picture(states, person, "print"),
            "legend": legend(),
            "map_url": _map_url(household, person),
        },
    )


@require_http_methods(["GET", "POST"])
@audited
def tie_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    household, ground = household_for_request(
        request, pk, action=action, details={"page": "network tie new"}
    )
    if not may_change_ties(ground):
        raise Http404
    person, _people = _centre(household, request.GET.get("persoon"))
    form = TieAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tie_add(
                household=household,
                person=person,
                **form.tie_values(),
                added_on=data["added_on"],
                user=request.user,
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("%(name)s is on the map.") % {"name": data["name"].strip()})
            return HttpResponseRedirect(_map_url(household, person))
    return render(
        request,
        "network/tie_form.html",
        {
            "household": household,
            "person": person,
            "form": form,
            "tie": None,
            "map_url": _map_url(household, person),
        },
        status=400 if request.method == "POST" else 200,
    )


def _tie_of(household: Household, tie_pk: int) -> Tie:
    return get_object_or_404(Tie.objects.select_related("person"), pk=tie_pk, household=household)


@require_http_methods(["GET", "POST"])
@audited
def tie_edit(request: AuthenticatedRequest, pk: int, tie_pk: int) -> HttpResponse:
    action = AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    household, ground = household_for_request(
        request, pk, action=action, details={"page": "network tie", "tie": tie_pk}
    )
    if not may_change_ties(ground):
        raise Http404
    tie = _tie_of(household, tie_pk)
    if tie.ended_on is not None:
        raise Http404
    form = TieEditForm.for_record(request.POST or None, tie)
    if request.method == "POST" and form.is_valid():
        try:
            tie_update(
                tie=tie,
                **form.tie_values(),
                user=request.user,
                request=request,
                ground=ground,
                expected_version=form.expected_version(),
            )
        except ChangedMeanwhile:
            form.changed_meanwhile(_tie_of(household, tie_pk))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(_map_url(household, tie.person))
    return render(
        request,
        "network/tie_form.html",
        {
            "household": household,
            "person": tie.person,
            "form": form,
            "tie": tie,
            "end_form": TieEndForm(),
            "map_url": _map_url(household, tie.person),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@audited
def tie_end_view(request: AuthenticatedRequest, pk: int, tie_pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request, pk, action=AuditAction.UPDATE, details={"page": "network tie end", "tie": tie_pk}
    )
    if not may_change_ties(ground):
        raise Http404
    tie = _tie_of(household, tie_pk)
    form = TieEndForm(request.POST)
    if form.is_valid():
        try:
            tie_end(
                tie=tie,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is no longer on the map. Earlier versions still show them.")
                % {"name": tie.name},
            )
    else:
        messages.error(request, _("Write the date as day-month-year, for example 03-07-2026."))
    return HttpResponseRedirect(_map_url(household, tie.person))


@require_POST
@audited
def tie_do_not_contact(request: AuthenticatedRequest, pk: int, tie_pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request, pk, action=AuditAction.UPDATE, details={"page": "network do not contact"}
    )
    if not may_change_ties(ground):
        raise Http404
    tie = _tie_of(household, tie_pk)
    value = request.POST.get("value") == "1"
    tie_set_do_not_contact(
        tie=tie, do_not_contact=value, user=request.user, request=request, ground=ground
    )
    if value:
        message = _("%(name)s is marked: do not contact.") % {"name": tie.name}
    else:
        message = _("%(name)s may be contacted again.") % {"name": tie.name}
    messages.success(request, message)
    return HttpResponseRedirect(_map_url(household, tie.person))


@require_POST
@audited
def version_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request, pk, action=AuditAction.UPDATE, details={"page": "network version"}
    )
    if not can_write(ground):
        raise Http404
    person, _people = _centre(household, request.POST.get("persoon"))
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            version = version_save(
                household=household,
                person=person,
                label=form.cleaned_data["label"],
                saved_on=form.cleaned_data["saved_on"],
                note=form.cleaned_data["note"],
                user=request.user,
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Version “%(label)s” saved, with %(count)s ties.")
                % {"label": version.label, "count": len(version.ties)},
            )
    else:
        for field_errors in form.errors.values():
            for field_message in field_errors:
                messages.error(request, str(field_message))
    return HttpResponseRedirect(_map_url(household, person))


def _moment(
    value: str | None, versions: list[NetworkVersion], household: Household, person: Person
) -> tuple[str, str, list[TieState]]:
    """A moment to compare: a saved version by id, or the map as it is now."""
    if value and value != NOW:
        version = next((v for v in versions if str(v.pk) == value), None)
        if version is None:
            raise Http404("No such version")
        title = f"{version.label} ({version.saved_on:%d-%m-%Y})"
        return str(version.pk), title, version_states(version)
    title = _("Now (%(date)s)") % {"date": timezone.localdate().strftime("%d-%m-%Y")}
    return NOW, title, [tie_state(tie) for tie in ties_on(household, person)]


@require_GET
@audited
def network_compare(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "network compare"})
    person, people = _centre(household, request.GET.get("persoon"))
    versions = list(versions_of(household, person))
    default_a = str(versions[0].pk) if versions else NOW
    default_b = str(versions[-1].pk) if len(versions) > 1 else NOW
    a_value, a_title, a_states = _moment(
        request.GET.get("a") or default_a, versions, household, person
    )
    b_value, b_title, b_states = _moment(
        request.GET.get("b") or default_b, versions, household, person
    )
    choices = [(str(v.pk), f"{v.label} ({v.saved_on:%d-%m-%Y})") for v in versions]
    choices.append((NOW, _("Now")))
    return render(
        request,
        "network/compare.html",
        {
            "household": household,
            "person": person,
            "people": people,
            "for_resident": ground == Ground.OWN_DATA,
            "choices": choices,
            "a_value": a_value,
            "b_value": b_value,
            "a_title": a_title,
            "b_title": b_title,
            "a_picture": _picture(a_states, person, "before"),
            "b_picture": _picture(b_states, person, "after"),
            "comparison": compare(a_states, b_states),
            "legend": legend(),
            "map_url": _map_url(household, person),
        },
    )
