"""Reads on accounts: who works in which team today."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from buurtkracht.accounts.models import TeamMembership, User
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
