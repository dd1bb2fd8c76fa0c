"""Reads on the social map for the start page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from buurtkracht.accounts.models import Role
from buurtkracht.socialmap.models import Resource

if TYPE_CHECKING:
    from buurtkracht.accounts.types import AuthenticatedRequest


def my_work_section(request: AuthenticatedRequest) -> dict[str, Any]:
    """The proposals for the social map waiting for a moderator. The community worker keeps
    the map, so they always see the queue (an empty one says so); a team leader, who may
    also moderate, sees it only when something waits. One query."""
    user = request.user
    community_worker = user.has_role(Role.COMMUNITY_WORKER)
    if not (community_worker or user.has_role(Role.TEAM_LEADER)):
        return {}
    waiting = Resource.objects.filter(status=Resource.Status.PROPOSED).count()
    if not waiting and not community_worker:
        return {}
    return {"shown": True, "proposals_waiting": waiting}
