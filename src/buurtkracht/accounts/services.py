"""Writes on accounts: roles, team memberships and the second login factor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.models import Role, RoleGrant, TeamMembership, User
from buurtkracht.accounts.roles import FUNCTIONAL_ADMIN_GROUP
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Team


@transaction.atomic
def role_grant(*, user: User, role: str) -> RoleGrant:
    """Give a user a role. A functional administrator also gets the admin site and its group."""
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


def role_grants_save(
    *, user: User, grants: Iterable[RoleGrant], deleted: Iterable[RoleGrant]
) -> None:
    """The roles as edited in the admin: removed ones deleted, new ones through
    `role_grant` (so a functional administrator role also opens the admin with its
    permission group), changed ones saved."""
    for obj in deleted:
        obj.delete()
    for grant in grants:
        if grant.pk is None:
            role_grant(user=user, role=grant.role)
        else:
            grant.save()


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


def two_factor_confirm(*, device: TOTPDevice) -> None:
    """The first code typed after scanning the QR code confirms the device being enrolled."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def two_factor_reset(*, user: User, by: User, request: HttpRequest) -> None:
    """Remove a user's second-factor devices (they enrol anew at the next login); logged."""
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action=Action.UPDATE,
        user=by,
        request=request,
        obj=user,
        ground=Ground.ROLE,
        details={"two_factor": "reset"},
    )
