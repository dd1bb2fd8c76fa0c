"""The pages of the dilemma log (docs/dilemmas.md): the team's dilemmas, writing one,
one dilemma with its history, the reflection meetings with their agenda, recording what
was learnt, and the themes over time for the team leader.

Only current members of a team (workers and team leaders) reach its log; for anyone else
every page is a 404, as if it did not exist. The texts name no resident (they are checked
for identifiers when written), so reading them is no look at a file and is not logged;
every write is (the services)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.core import disclosure
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.models import Team
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.dilemmas.forms import (
    AgendaForm,
    DilemmaForm,
    LessonsForm,
    MeetingForm,
    ScheduleForm,
)
from buurtkracht.dilemmas.models import AgendaItem, Dilemma, Value
from buurtkracht.dilemmas.queries import (
    agenda_item_for,
    dilemma_for,
    dilemma_history,
    led_teams,
    meeting_for,
    member_teams,
    team_dilemmas,
    team_meetings,
    theme_tables,
    upcoming_meetings,
)
from buurtkracht.dilemmas.services import (
    agenda_item_add,
    dilemma_create,
    lessons_record,
    reflection_meeting_create,
)


def _teams(request: AuthenticatedRequest) -> list[Team]:
    teams = list(member_teams(request.user))
    if not teams:
        raise Http404
    return teams


@require_GET
def dilemma_list(request: AuthenticatedRequest) -> HttpResponse:
    teams = _teams(request)
    team_qs = member_teams(request.user)
    status = request.GET.get("status", "")
    if status not in ("", *Dilemma.Status.values):
        status = ""
    return render(
        request,
        "dilemmas/list.html",
        {
            "teams": teams,
            "dilemmas": list(team_dilemmas(team_qs, status)),
            "status": status,
            "statuses": Dilemma.Status.choices,
            "upcoming": list(upcoming_meetings(team_qs)[:3]),
            "leads": led_teams(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def dilemma_new(request: AuthenticatedRequest) -> HttpResponse:
    teams = _teams(request)
    form = DilemmaForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dilemma = dilemma_create(
                team=form.chosen_team(),
                title=data["title"],
                description=data["description"],
                values=data["values"],
                life_domain=data["life_domain"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The dilemma is in the team's log."))
            return redirect("dilemmas:detail", pk=dilemma.pk)
    return render(
        request,
        "dilemmas/dilemma_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def dilemma_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dilemma = dilemma_for(request.user, pk)
    history = list(dilemma_history(dilemma))
    on_agenda = {item.meeting_id for item in history}
    meetings = [
        m
        for m in upcoming_meetings(member_teams(request.user).filter(pk=dilemma.team_id))
        if m.pk not in on_agenda
    ]
    form = ScheduleForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        meeting = next(m for m in meetings if m.pk == form.cleaned_data["meeting"])
        try:
            agenda_item_add(meeting=meeting, dilemma=dilemma, user=request.user, request=request)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The dilemma is on the meeting's agenda."))
            return redirect("dilemmas:detail", pk=dilemma.pk)
    return render(
        request,
        "dilemmas/dilemma.html",
        {"dilemma": dilemma, "history": history, "form": form, "meetings": meetings},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    teams = _teams(request)
    form = MeetingForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = reflection_meeting_create(
                team=form.chosen_team(),
                held_on=data["held_on"],
                starts_at=data["starts_at"],
                facilitator=data["facilitator"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request, _("The reflection meeting is planned. Put dilemmas on its agenda.")
            )
            return redirect("dilemmas:meeting", pk=meeting.pk)
    return render(
        request,
        "dilemmas/meetings.html",
        {"meetings": list(team_meetings(member_teams(request.user))), "form": form, "teams": teams},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    items = list(meeting.items.all())
    on_agenda = {item.dilemma_id for item in items}
    candidates = [
        d
        for d in team_dilemmas(
            member_teams(request.user).filter(pk=meeting.team_id), Dilemma.Status.OPEN
        )
        if d.pk not in on_agenda
    ]
    form = AgendaForm(request.POST or None, dilemmas=candidates)
    if request.method == "POST" and form.is_valid():
        dilemma = next(d for d in candidates if d.pk == form.cleaned_data["dilemma"])
        try:
            agenda_item_add(meeting=meeting, dilemma=dilemma, user=request.user, request=request)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The dilemma is on the agenda."))
            return redirect("dilemmas:meeting", pk=meeting.pk)
    return render(
        request,
        "dilemmas/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "form": form,
            "candidates": candidates,
            "begun": meeting.has_begun(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def lessons(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = agenda_item_for(request.user, pk)
    form = LessonsForm.for_record(request.POST or None, item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lessons_record(
                item=item,
                lessons=data["lessons"],
                outcome=data["outcome"],
                user=request.user,
                expected_version=form.expected_version(),
                request=request,
            )
        except ChangedMeanwhile:
            form.changed_meanwhile(AgendaItem.objects.get(pk=item.pk))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("What the team learnt is recorded."))
            return redirect("dilemmas:meeting", pk=item.meeting_id)
    return render(
        request,
        "dilemmas/lessons.html",
        {"item": item, "meeting": item.meeting, "dilemma": item.dilemma, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def themes(request: AuthenticatedRequest) -> HttpResponse:
    """The team leader's view of the themes over time: counts of values at stake per
    quarter, rounded to base 5 like every published figure (decision 0009)."""
    teams = list(led_teams(request.user))
    if not teams:
        raise Http404
    return render(
        request,
        "dilemmas/themes.html",
        {
            "tables": theme_tables(teams),
            "explanation": disclosure.explanation(),
            "values": Value.choices,
        },
    )
