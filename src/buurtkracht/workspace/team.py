"""The team leader's week: one page per team they lead with what waits in the team's
neighbourhoods — intakes without a lead worker, households without one, overdue first
attempts after an early signal, overdue reviews and actions — who is away and what falls
due meanwhile (moved to a colleague in one step), and the number of households per
worker as plain counts to divide the work.

A page that combines domains, so it lives on the top floor (decision 0006): `casework`
and `signals` offer their parts as `team_week_section`, `accounts` the members and their
absences. No ranking and no score: workers are listed by name (docs/team-week.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buurtkracht.accounts.lockout import login_failure_record
from buurtkracht.accounts.models import Absence, TeamMembership, User
from buurtkracht.accounts.queries import current_teams, team_absences, team_members
from buurtkracht.accounts.reauth import mark_authenticated, recently_authenticated
from buurtkracht.accounts.services import absence_end, absence_record
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.handover import cover_while_away
from buurtkracht.casework.queries import (
    ABSENCE_AHEAD_DAYS,
    DueWhileAway,
    due_while_away,
    team_week_section,
)
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.models import Team
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Membership
from buurtkracht.signals.queries import team_week_section as signals_team_week
from buurtkracht.workspace.team_forms import AbsenceForm, CoverForm


def _led_teams(user: User) -> list[Team]:
    """The teams the user leads today; a page for none of them is a 404."""
    teams = list(current_teams(user, TeamMembership.Position.TEAM_LEADER).order_by("name", "pk"))
    if not teams:
        raise Http404
    return teams


def _team_of(request: AuthenticatedRequest, teams: list[Team], value: str | None) -> Team:
    if not value:
        return teams[0]
    team = next((t for t in teams if str(t.pk) == value), None)
    if team is None:
        raise Http404
    return team


def _week_url(team: Team) -> str:
    return f"{reverse('workspace:team-week')}?team={team.pk}"


def _last_day(absence: Absence, today: dt.date) -> dt.date:
    """Up to when to look for what falls due: the last day away, or two weeks ahead."""
    return absence.end_date or today + dt.timedelta(days=ABSENCE_AHEAD_DAYS)


def _household_choices(items: list[DueWhileAway]) -> list[tuple[int, str]]:
    return [(item.household.pk, item.household.address.street_line) for item in items]


def render_team_week(
    request: AuthenticatedRequest,
    team: Team,
    teams: list[Team],
    *,
    absence_form: AbsenceForm | None = None,
    cover_forms: dict[int, CoverForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page for `team`, after the caller checked that the user leads it. Every
    resident the page names is one look in the log (ground: team leader)."""
    today = timezone.localdate()
    members = list(team_members(team))
    week = team_week_section(team, members)
    outreach = signals_team_week(request.user, team)
    absences = list(team_absences(team, today))
    last_days: dict[int, dt.date] = {}
    for absence in absences:
        last_days[absence.user_id] = max(
            last_days.get(absence.user_id, today), _last_day(absence, today)
        )
    due = due_while_away(team, last_days)
    away_today = {a.user_id for a in absences if a.start_date <= today}
    colleagues = [m for m in members if m.pk not in away_today and m.pk != request.user.pk]
    forms_by_absence = cover_forms or {}
    away = []
    for absence in absences:
        items = due.get(absence.user_id, [])
        form = forms_by_absence.get(absence.pk) or CoverForm(
            prefix=f"cover{absence.pk}",
            households=_household_choices(items),
            colleagues=[c for c in colleagues if c.pk != absence.user_id],
            initial={"households": [item.household.pk for item in items]},
        )
        away.append(
            {
                "absence": absence,
                "items": items,
                "form": form,
                "running": absence.start_date <= today,
                "mine": absence.team_id in {t.pk for t in teams},
            }
        )
    household_ids = {h.pk for h in week.households} | outreach["household_ids"]
    household_ids |= {item.household.pk for items in due.values() for item in items}
    subjects = set(outreach["subjects"])
    if household_ids:
        subjects |= set(
            Membership.objects.filter(household_id__in=household_ids).values_list(
                "person_id", flat=True
            )
        )
    if subjects or week.intakes:
        note_look(
            request,
            subjects=sorted(subjects),
            ground=Ground.TEAM_LEADER,
            details={
                "page": "team week",
                "team": team.name,
                "households": len(household_ids),
                "intakes": [intake.pk for intake in week.intakes],
            },
        )
    return render(
        request,
        "workspace/team_week.html",
        {
            "team": team,
            "teams": teams,
            "week": week,
            "outreach": outreach,
            "away": away,
            "away_today": away_today,
            "absence_form": absence_form
            or AbsenceForm(members=[m for m in members if m.pk != request.user.pk]),
            "needs_password": not recently_authenticated(request),
            "ahead_days": ABSENCE_AHEAD_DAYS,
            "today": today,
        },
        status=status,
    )


@require_GET
@audited
def team_week(request: AuthenticatedRequest) -> HttpResponse:
    teams = _led_teams(request.user)
    return render_team_week(request, _team_of(request, teams, request.GET.get("team")), teams)


@require_POST
@audited
def absence_add(request: AuthenticatedRequest) -> HttpResponse:
    """The team leader records a member's absence."""
    teams = _led_teams(request.user)
    team = _team_of(request, teams, request.POST.get("team"))
    members = [m for m in team_members(team) if m.pk != request.user.pk]
    form = AbsenceForm(request.POST, members=members)
    if form.is_valid():
        data = form.cleaned_data
        worker = next(m for m in members if m.pk == data["worker"])
        try:
            absence_record(
                user=worker,
                team=team,
                start_date=data["start_date"],
                end_date=data["end_date"],
                reason=data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Absence of %(name)s recorded.") % {"name": worker.get_full_name() or worker},
            )
            return redirect(_week_url(team))
    return render_team_week(request, team, teams, absence_form=form, status=400)


def _absence_of(request: AuthenticatedRequest, pk: int) -> tuple[Absence, list[Team]]:
    """An absence recorded in a team the user leads; any other is a 404."""
    teams = _led_teams(request.user)
    absence = (
        Absence.objects.filter(pk=pk, team__in=[t.pk for t in teams])
        .select_related("user", "team")
        .first()
    )
    if absence is None:
        raise Http404
    return absence, teams


@require_POST
@audited
def absence_stop(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The worker is back (or the absence was a mistake)."""
    absence, _teams = _absence_of(request, pk)
    team = absence.team
    name = absence.user.get_full_name() or absence.user.username
    absence_end(absence=absence, by=request.user, request=request)
    messages.success(request, _("%(name)s is no longer listed as away.") % {"name": name})
    return redirect(_week_url(team))


def _password_checked(request: AuthenticatedRequest) -> str:
    """A step that hands over files asks for the password again when it was typed more
    than a few minutes ago (as the handover page does). Returns the error, if any."""
    if recently_authenticated(request):
        return ""
    if request.user.check_password(request.POST.get("password", "")):
        mark_authenticated(request)
        return ""
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        user=request.user,
        request=request,
        allowed=False,
        details={"step": "reauthentication", "for": "cover while away"},
    )
    login_failure_record(request.user.get_username(), request)
    return _("Type your password to confirm the move.")


@require_POST
@audited
def absence_cover(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move what falls due while a worker is away to one colleague, in one step."""
    absence, teams = _absence_of(request, pk)
    team = absence.team
    today = timezone.localdate()
    items = due_while_away(team, {absence.user_id: _last_day(absence, today)}).get(
        absence.user_id, []
    )
    members = list(team_members(team))
    away_today = {a.user_id for a in team_absences(team, today).filter(in_force(today))}
    colleagues = [
        m
        for m in members
        if m.pk not in away_today and m.pk not in (request.user.pk, absence.user_id)
    ]
    form = CoverForm(
        request.POST,
        prefix=f"cover{absence.pk}",
        households=_household_choices(items),
        colleagues=colleagues,
    )
    password_error = _password_checked(request)
    if password_error:
        form.is_valid()
        form.add_error(None, password_error)
    elif form.is_valid():
        to = next(c for c in colleagues if c.pk == form.cleaned_data["to"])
        try:
            covered = cover_while_away(
                leader=request.user,
                worker=absence.user,
                household_ids=form.cleaned_data["households"],
                to=to,
                note=form.cleaned_data["note"],
                back_on=absence.end_date,
                request=request,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Moved to %(name)s: %(households)s households handed over, "
                    "%(actions)s actions reassigned."
                )
                % {
                    "name": to.get_full_name() or to.username,
                    "households": covered.households_handed_over,
                    "actions": covered.actions_moved,
                },
            )
            return redirect(_week_url(team))
    forms: dict[int, Any] = {absence.pk: form}
    return render_team_week(request, team, teams, cover_forms=forms, status=400)
