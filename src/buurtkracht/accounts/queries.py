"""Reads on accounts: who works in which team today."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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


def current_teams(user: Any, position: str | None = None) -> QuerySet[Team]:
    """The teams the user works in today (in `position`, e.g. team leader, if given)."""
    memberships = TeamMembership.objects.filter(user=user).filter(in_force())
    if position:
        memberships = memberships.filter(position=position)
    return Team.objects.filter(pk__in=memberships.values("team_id"))
