"""The teams a worker is in now, and the teams in which they may assign lead workers."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import TeamMembership
from buurtkracht.core.models import Team


def current_teams(user: Any, position: str | None = None) -> QuerySet[Team]:
    today = timezone.localdate()
    memberships = TeamMembership.objects.filter(user=user).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
    )
    if position:
        memberships = memberships.filter(position=position)
    return Team.objects.filter(pk__in=memberships.values("team_id"))


def assigning_teams(user: Any) -> QuerySet[Team]:
    """Teams in which `user` may assign lead workers: the teams they lead, and the teams
    they are a member of that let every member assign (a setting per team)."""
    led = current_teams(user, TeamMembership.Position.TEAM_LEADER)
    return Team.objects.filter(
        Q(pk__in=led.values("pk"))
        | Q(pk__in=current_teams(user).values("pk"), members_may_assign=True)
    )
