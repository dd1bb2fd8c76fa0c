"""Reads on accounts: who works in which team today."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import Absence, AccessRequest, Activation, TeamMembership, User
from buurtkracht.core.models import Team
from buurtkracht.core.queries import in_force


def current_team_memberships(user: User) -> QuerySet[TeamMembership]:
    """The user's team memberships that are in force today."""
    return (
        TeamMembership.objects.filter(user=user)
        .filter(in_force())
        .select_related("team__organisation")
        .prefetch_related("team__neighbourhoods")
        .order_by("team__name")
    )


def current_teams(user: User, position: str | None = None) -> QuerySet[Team]:
    """The teams the user works in today (in `position`, e.g. team leader, if given)."""
    memberships = TeamMembership.objects.filter(user=user).filter(in_force())
    if position:
        memberships = memberships.filter(position=position)
    return Team.objects.filter(pk__in=memberships.values("team_id"))


def assigning_teams(user: User) -> QuerySet[Team]:
    """Teams in which `user` may assign lead workers: the teams they lead, and the teams
    they are a member of that let every member assign (a setting per team)."""
    led = current_teams(user, TeamMembership.Position.TEAM_LEADER)
    return Team.objects.filter(
        Q(pk__in=led.values("pk"))
        | Q(pk__in=current_teams(user).values("pk"), members_may_assign=True)
    )


def pending_access_requests() -> QuerySet[AccessRequest]:
    """Four-eyes requests waiting for a second person, oldest first."""
    return (
        AccessRequest.objects.filter(status=AccessRequest.Status.PENDING)
        .select_related("user__organisation", "requested_by")
        .order_by("requested_at", "id")
    )


def decided_access_requests(limit: int = 100) -> QuerySet[AccessRequest]:
    """The latest decided requests, newest first."""
    return (
        AccessRequest.objects.exclude(status=AccessRequest.Status.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def recent_activations(limit: int = 50) -> QuerySet[Activation]:
    """The latest activation links: for whom, by whom, where sent, and what became of it."""
    return Activation.objects.select_related("user", "created_by").order_by("-created_at", "-id")[
        :limit
    ]


def team_members(team: Team) -> QuerySet[User]:
    """Who works in `team` today (workers and its leaders), by name: one query."""
    members = TeamMembership.objects.filter(team=team).filter(in_force()).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by(
        "first_name", "last_name", "pk"
    )


def team_absences(team: Team, on: dt.date | None = None) -> QuerySet[Absence]:
    """Absences of the team's current members that have not ended by `on` (today): those
    running now and those planned, first one first. Recorded in any team: a worker in two
    teams is away from both."""
    day = on or timezone.localdate()
    members = TeamMembership.objects.filter(team=team).filter(in_force(day)).values("user_id")
    return (
        Absence.objects.filter(user__in=members)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("user", "team", "recorded_by")
        .order_by("start_date", "user__first_name", "pk")
    )
