"""Appointments with a household: plan one, change it, cancel it (only on a ground that may
change the file; otherwise the 404 of a file that does not exist), and the worker's own
calendar feed: the settings page and the feed itself (docs/appointments.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.appointment_forms import (
    AppointmentCancelForm,
    AppointmentForm,
    CalendarFeedNamesForm,
)
from buurtkracht.casework.calendar import calendar_for
from buurtkracht.casework.models import Appointment, CalendarFeed
from buurtkracht.casework.queries import feed_appointments, involved_workers
from buurtkracht.casework.services import (
    appointment_cancel,
    appointment_change,
    appointment_plan,
    calendar_feed_renew,
    calendar_feed_set_names,
    calendar_feed_stop,
)
from buurtkracht.casework.services.appointments import feed_token_hash
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household
from buurtkracht.households.visibility import can_write

FEED_ROLES = frozenset({Role.WORKER, Role.TEAM_LEADER})


def _writable(
    request: AuthenticatedRequest, pk: int, page: str, action: str = AuditAction.READ
) -> tuple[Household, str]:
    household, ground = household_for_request(request, pk, action=action, details={"page": page})
    if not can_write(ground):
        raise Http404
    return household, ground


def _workers_of(ids: list[int], allowed: list[tuple[int, str]]) -> list[User]:
    allowed_ids = {pk for pk, _name in allowed}
    return list(User.objects.filter(pk__in=[pk for pk in ids if pk in allowed_ids]))


def _save(
    form: AppointmentForm,
    *,
    household: Household,
    request: AuthenticatedRequest,
    ground: str,
    workers: list[tuple[int, str]],
    appointment: Appointment | None,
) -> Appointment | None:
    """Plan or change from a valid form; None with the errors on the form."""
    moments = form.moments()
    if moments is None:
        return None
    data = form.cleaned_data
    values: dict[str, Any] = {
        "user": request.user,
        "kind": data["kind"],
        "starts_at": moments[0],
        "ends_at": moments[1],
        "place": data["place"],
        "place_text": data["place_text"],
        "workers": _workers_of(data["workers"], workers),
        "allowed_workers": [pk for pk, _name in workers],
        "with_others": data["with_others"],
        "note": data["note"],
        "request": request,
        "ground": ground,
    }
    try:
        if appointment is None:
            return appointment_plan(household=household, **values)
        return appointment_change(
            appointment=appointment, expected_version=form.expected_version(), **values
        )
    except ChangedMeanwhile:
        assert appointment is not None
        form.changed_meanwhile(Appointment.objects.get(pk=appointment.pk))
    except ValidationError as error:
        errors_to_form(form, error)
    return None


@require_http_methods(["GET", "POST"])
@audited
def appointment_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Plan an appointment with the household."""
    action = AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    household, ground = _writable(request, pk, "appointment new", action)
    workers = involved_workers(household)
    mine = [pk for pk, _name in workers if pk == request.user.pk]
    form = AppointmentForm(request.POST or None, workers=workers, initial={"workers": mine})
    if request.method == "POST" and form.is_valid():
        appointment = _save(
            form,
            household=household,
            request=request,
            ground=ground,
            workers=workers,
            appointment=None,
        )
        if appointment is not None:
            messages.success(
                request,
                _("Appointment planned: %(when)s.")
                % {"when": timezone.localtime(appointment.starts_at).strftime("%d-%m-%Y %H:%M")},
            )
            return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "casework/appointment.html",
        {"household": household, "form": form, "appointment": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@audited
def appointment_page(request: AuthenticatedRequest, pk: int, appointment_pk: int) -> HttpResponse:
    """Change an appointment or cancel it (it is never deleted)."""
    action = AuditAction.UPDATE if request.method == "POST" else AuditAction.READ
    household, ground = _writable(request, pk, "appointment", action)
    appointment = get_object_or_404(
        Appointment.objects.prefetch_related("workers"), pk=appointment_pk, household=household
    )
    workers = involved_workers(household)
    # A worker who went along stays choosable even when their involvement ended since.
    known = {pk for pk, _name in workers}
    workers += [
        (worker.pk, worker.get_full_name() or worker.username)
        for worker in appointment.workers.all()
        if worker.pk not in known
    ]
    what = request.POST.get("what", "change") if request.method == "POST" else ""
    if what not in ("", "change", "cancel"):
        raise Http404
    data = request.POST if what == "change" else None
    form = AppointmentForm.for_record(data, appointment, workers=workers)
    cancel_form = AppointmentCancelForm.for_record(
        request.POST if what == "cancel" else None, appointment
    )
    if appointment.is_cancelled and what:
        raise Http404
    if what == "change" and form.is_valid():
        if _save(
            form,
            household=household,
            request=request,
            ground=ground,
            workers=workers,
            appointment=appointment,
        ):
            messages.success(request, _("Appointment changed."))
            return redirect("workspace:household", pk=household.pk)
    elif what == "cancel" and cancel_form.is_valid():
        try:
            appointment_cancel(
                appointment=appointment,
                user=request.user,
                reason=cancel_form.cleaned_data["reason"],
                expected_version=cancel_form.expected_version(),
                request=request,
                ground=ground,
            )
        except ChangedMeanwhile:
            cancel_form.changed_meanwhile(Appointment.objects.get(pk=appointment.pk))
        except ValidationError as error:
            errors_to_form(cancel_form, error)
        else:
            messages.success(request, _("Appointment cancelled."))
            return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "casework/appointment.html",
        {
            "household": household,
            "form": form,
            "cancel_form": cancel_form,
            "appointment": appointment,
        },
        status=400 if what else 200,
    )


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar:feed", args=[token]))


@never_cache
@require_http_methods(["GET", "POST"])
def feed_settings(request: AuthenticatedRequest) -> HttpResponse:
    """The worker's calendar feed: make or renew its address (shown once), choose whether
    it shows names, or stop it. Only for workers and team leaders."""
    user = request.user
    if not user.role_set & FEED_ROLES:
        raise Http404
    feed = CalendarFeed.objects.filter(user=user).first()
    new_url = ""
    names_form = CalendarFeedNamesForm(initial={"show_names": feed.show_names if feed else False})
    if request.method == "POST":
        what = request.POST.get("what", "")
        if what == "renew":
            # Shown on this answer only: the database keeps just the token's hash.
            new_url = _feed_url(request, calendar_feed_renew(user=user, request=request))
            feed = CalendarFeed.objects.get(user=user)
        elif what == "names" and feed is not None:
            names_form = CalendarFeedNamesForm(request.POST)
            if names_form.is_valid():
                feed = calendar_feed_set_names(
                    user=user, show_names=names_form.cleaned_data["show_names"], request=request
                )
                messages.success(request, _("Saved."))
                return redirect("calendar:settings")
        elif what == "stop" and feed is not None:
            calendar_feed_stop(user=user, request=request)
            messages.success(request, _("Your calendar feed is switched off."))
            return redirect("calendar:settings")
        else:
            raise Http404
    response = render(
        request,
        "casework/calendar_settings.html",
        {"feed": feed, "new_url": new_url, "names_form": names_form},
    )
    return response


@login_not_required
@never_cache
@require_GET
@audited
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed itself, fetched by a phone without signing in: the token in the
    address is the key. A wrong, renewed or stopped token is a 404. A feed that shows
    names is written in the access log at every fetch."""
    found = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token), user__is_active=True)
        .first()
    )
    if found is None or not found.user.role_set & FEED_ROLES:
        raise Http404
    user = found.user
    appointments = feed_appointments(user, with_names=found.show_names)
    body = calendar_for(
        appointments,
        with_names=found.show_names,
        link_for=lambda a: request.build_absolute_uri(
            reverse("workspace:household", args=[a.household_id])
        ),
    )
    if found.show_names and appointments:
        # The token stands for the worker: the look is on their account.
        request.user = user
        note_look(
            request,
            subjects=sorted(
                {
                    membership.person_id
                    for appointment in appointments
                    for membership in getattr(appointment.household, "members_now", [])
                }
            ),
            ground=Ground.INVOLVEMENT,
            details={"page": "calendar feed", "appointments": len(appointments)},
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="buurtkracht.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
