"""Who is told: the recipients the domain services name, read from the ground floor
(teams, positions, roles). The domain apps add who is involved in a household."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from buurtkracht.accounts.models import RoleGrant, TeamMembership
from buurtkracht.core.queries import in_force


def team_leaders(team_ids: Iterable[int | None]) -> list[int]:
    """The users who lead any of these teams today."""
    ids = [pk for pk in team_ids if pk is not None]
    return list(
        TeamMembership.objects.filter(
            in_force(), team_id__in=ids, position=TeamMembership.Position.TEAM_LEADER
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def intake_handlers(team_id: int | None) -> list[int]:
    """Who handles a new intake of the team: its leaders, and its members where the team
    lets members assign (`Team.members_may_assign`)."""
    if team_id is None:
        return []
    position = Q(position=TeamMembership.Position.TEAM_LEADER) | Q(team__members_may_assign=True)
    return list(
        TeamMembership.objects.filter(in_force(), position, team_id=team_id)
        .values_list("user_id", flat=True)
        .distinct()
    )


def holders_of(*roles: str) -> list[int]:
    """The users who hold any of these roles."""
    return list(
        RoleGrant.objects.filter(role__in=roles, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
