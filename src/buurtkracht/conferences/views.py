"""Pages of case conferences and precedents (docs/conferences.md). A conference opens only
for its participants and the leaders of its team (otherwise 404); a case shows by name
only on a ground the visibility module gives, and then the look is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.queries import current_teams
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.casework.models import Goal
from buurtkracht.conferences import queries
from buurtkracht.conferences.forms import (
    CaseActionForm,
    CaseForm,
    ConferenceForm,
    DecisionForm,
    PrecedentForm,
    PrecedentSearchForm,
)
from buurtkracht.conferences.models import Case, Conference, Precedent
from buurtkracht.conferences.services import (
    case_action_add,
    case_add,
    case_decide,
    conference_schedule,
    precedent_mark,
)
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.models import Household, Membership
from buurtkracht.households.visibility import can_write, household_grounds


def _conference(request: AuthenticatedRequest, pk: int) -> Conference:
    conference = queries.conferences_for(request.user).filter(pk=pk).first()
    if conference is None:
        raise Http404("No conference found")
    return conference


def _is_participant(request: AuthenticatedRequest, conference: Conference) -> bool:
    return conference.participants.filter(pk=request.user.pk).exists()


@require_GET
def conference_list(request: AuthenticatedRequest) -> HttpResponse:
    """The conferences this user takes part in (or whose team they lead)."""
    user = request.user
    if not user.role_set & queries.CONFERENCE_ROLES:
        raise Http404
    since = timezone.now() - dt.timedelta(hours=12)
    conferences = list(queries.conferences_for(user).order_by("starts_at", "pk"))
    return render(
        request,
        "conferences/list.html",
        {
            "coming": [c for c in conferences if c.starts_at >= since],
            "past": [c for c in reversed(conferences) if c.starts_at < since],
            "may_schedule": queries.may_schedule(user),
            "may_search": queries.may_search_precedents(user),
        },
    )


@require_http_methods(["GET", "POST"])
def conference_new(request: AuthenticatedRequest) -> HttpResponse:
    """Schedule a conference: kind, day and time, place, chair and participants."""
    user = request.user
    if not queries.may_schedule(user):
        raise Http404
    teams = current_teams(user).order_by("name")
    choice = {"teams": teams, "people": queries.participant_choices(teams)}
    if request.method == "POST":
        form = ConferenceForm(request.POST, **choice)
        if form.is_valid() and (starts_at := form.starts_at()) is not None:
            data = form.cleaned_data
            try:
                conference = conference_schedule(
                    team=data["team"],
                    kind=data["kind"],
                    starts_at=starts_at,
                    place=data["place"],
                    chair=data["chair"],
                    participants=data["participants"],
                    user=user,
                    request=request,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Conference scheduled. The participants are told."))
                return redirect("conferences:detail", pk=conference.pk)
    else:
        form = ConferenceForm(
            initial={"team": teams.first(), "chair": user, "participants": [user]}, **choice
        )
    return render(request, "conferences/new.html", {"form": form})


@require_GET
@audited
def conference_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The agenda and the minutes, each case named or anonymised for this reader."""
    conference = _conference(request, pk)
    agenda = queries.agenda_for(request.user, conference)
    for ground, subjects in agenda.looks().items():
        note_look(
            request,
            subjects=subjects,
            obj=conference,
            ground=ground,
            details={"page": "case conference"},
        )
    participant = any(p.pk == request.user.pk for p in agenda.participants)
    return render(
        request,
        "conferences/detail.html",
        {
            "conference": conference,
            "agenda": agenda,
            "is_chair": conference.chair_id == request.user.pk,
            "may_add": participant and bool(request.user.role_set & queries.TEAM_ROLES),
        },
    )


@require_http_methods(["GET", "POST"])
@audited
def case_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Put a household on the agenda: a participant chooses among the files they may read."""
    conference = _conference(request, pk)
    if not (_is_participant(request, conference) and request.user.role_set & queries.TEAM_ROLES):
        raise Http404
    households = (
        Household.objects.visible_to(request.user)
        .exclude(pk__in=conference.cases.values("household_id"))
        .select_related("address")
        .order_by("address__street", "address__house_number", "pk")
    )
    if request.method == "POST":
        form = CaseForm(request.POST, households=households)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case_add(
                    conference=conference,
                    household=data["household"],
                    anonymised=data["anonymised"],
                    question=data["question"],
                    user=request.user,
                    request=request,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The case is on the agenda."))
                return redirect("conferences:detail", pk=conference.pk)
    else:
        form = CaseForm(households=households)
    # The choice lists the addresses of the files this user may read: a look at them.
    listed = list(households)
    grounds = household_grounds(request.user, listed)
    members = Membership.objects.filter(household__in=listed).values_list(
        "household_id", "person_id"
    )
    per_ground: dict[str, list[int]] = {}
    for household_id, person_id in members:
        if household_id in grounds:
            per_ground.setdefault(grounds[household_id], []).append(person_id)
    for ground, subjects in per_ground.items():
        note_look(request, subjects=subjects, ground=ground, details={"page": "conference case"})
    return render(request, "conferences/case_new.html", {"conference": conference, "form": form})


CASE_FORMS: dict[str, type[Any]] = {
    "decide": DecisionForm,
    "action": CaseActionForm,
    "precedent": PrecedentForm,
}


def _case_post(request: AuthenticatedRequest, case: Case, what: str, form: Any) -> str | None:
    """Carry out one of the chair's forms; the message on success, None when refused."""
    data = form.cleaned_data
    common: dict[str, Any] = {"case": case, "user": request.user, "request": request}
    try:
        if what == "decide":
            case_decide(decision=data["decision"], reasons=data["reasons"], **common)
            return _("Decision recorded.")
        if what == "action":
            case_action_add(
                goal=data["goal"],
                goal_text=data["goal_text"],
                domain=data["domain"],
                description=data["description"],
                owner=data["owner"],
                step=data["step"],
                due_date=data["due_date"],
                **common,
            )
            return _("The action is in the household's plan.")
        precedent_mark(**data, **common)
        return _("The decision is kept as a precedent.")
    except ValidationError as error:
        errors_to_form(form, error)
        return None


@require_http_methods(["GET", "POST"])
@audited
def case_page(request: AuthenticatedRequest, pk: int, case_pk: int) -> HttpResponse:
    """The chair's page for one case: the decision and why, the actions for the plan, and
    keeping the decision as a precedent."""
    conference = _conference(request, pk)
    if conference.chair_id != request.user.pk:
        raise Http404
    case = get_object_or_404(
        Case.objects.select_related("household__address", "conference"),
        pk=case_pk,
        conference=conference,
    )
    ground = queries.case_named_ground(request.user, case)
    goals = Goal.objects.filter(plan__household=case.household, status=Goal.Status.OPEN)
    failed: tuple[str, Any] | None = None
    if request.method == "POST":
        what = request.POST.get("what", "")
        if what not in CASE_FORMS:
            raise Http404
        form = CASE_FORMS[what](request.POST, **({"goals": goals} if what == "action" else {}))
        if form.is_valid() and (message := _case_post(request, case, what, form)):
            messages.success(request, message)
            return redirect("conferences:case", pk=conference.pk, case_pk=case.pk)
        failed = (what, form)

    def form_for(what: str, default: Any) -> Any:
        return failed[1] if failed and failed[0] == what else default

    members = (
        queries.one_per_person(list(case.household.current_memberships().select_related("person")))
        if ground
        else []
    )
    if ground:
        note_look(
            request,
            subjects=[m.person_id for m in members],
            obj=case,
            ground=ground,
            details={"page": "conference case"},
        )
    precedent = Precedent.objects.filter(case=case).first()
    return render(
        request,
        "conferences/case.html",
        {
            "conference": conference,
            "case": case,
            "named": ground is not None,
            "members": members,
            "actions": list(case.actions.select_related("goal")),
            "may_plan": can_write(ground),
            "precedent": precedent,
            "decide_form": form_for(
                "decide", DecisionForm(initial={"decision": case.decision, "reasons": case.reasons})
            ),
            "action_form": form_for("action", CaseActionForm(goals=goals)),
            "precedent_form": form_for(
                "precedent",
                PrecedentForm(initial={"decision": case.decision, "consideration": case.reasons}),
            ),
        },
    )


@require_GET
def precedent_list(request: AuthenticatedRequest) -> HttpResponse:
    """ "Hoe hebben we dit eerder gedaan?": precedents by word and life domain."""
    if not queries.may_search_precedents(request.user):
        raise Http404
    form = PrecedentSearchForm(request.GET or None)
    words, domain = "", ""
    if form.is_valid():
        words, domain = form.cleaned_data["q"], form.cleaned_data["domain"]
    return render(
        request,
        "conferences/precedents.html",
        {
            "form": form,
            "asked": bool(words or domain),
            "precedents": queries.precedents_search(words=words, domain=domain),
        },
    )


@require_GET
def precedent_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One precedent, in anonymised words. The way back to its household's plan shows only
    to someone who may read that file."""
    if not queries.may_search_precedents(request.user):
        raise Http404
    precedent = get_object_or_404(Precedent.objects.select_related("case"), pk=pk)
    return render(
        request,
        "conferences/precedent.html",
        {
            "precedent": precedent,
            "source_household": queries.precedent_source(request.user, precedent),
        },
    )
