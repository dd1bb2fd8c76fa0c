"""Writes on accounts: roles and team memberships. Activation and the two-step login are in
`activation`; the four-eyes requests that give roles through the pages in `approvals`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction

from buurtkracht.accounts.models import Role, RoleGrant, TeamMembership, User
from buurtkracht.accounts.roles import FUNCTIONAL_ADMIN_GROUP
from buurtkracht.core.models import Team


@transaction.atomic
def role_grant(*, user: User, role: str) -> RoleGrant:
    """Give a user a role. A functional administrator also gets the admin site and its group.

    No page calls this directly: the admin asks through `approvals.role_request` (four
    eyes); the demo, the tests and the operator's `create_account` use it as is."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=role)
    if role == Role.FUNCTIONAL_ADMIN:
        group, _ = Group.objects.get_or_create(name=FUNCTIONAL_ADMIN_GROUP)
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_role_cache", None)
    return grant


@transaction.atomic
def team_membership_create(
    *,
    user: User,
    team: Team,
    position: str = TeamMembership.Position.WORKER,
    start_date: dt.date | None = None,
) -> TeamMembership:
    """Place a user in a team; a team leader also gets the team-leader role."""
    membership = TeamMembership.objects.create(
        user=user, team=team, position=position, start_date=start_date
    )
    role_grant(
        user=user,
        role=Role.TEAM_LEADER if position == TeamMembership.Position.TEAM_LEADER else Role.WORKER,
    )
    return membership
