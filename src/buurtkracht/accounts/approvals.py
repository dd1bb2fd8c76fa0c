"""Four eyes on the steps that reach residents' files.

A functional administrator alone cannot give anyone a role that opens case content (or
the rights of an administrator or privacy officer), nor reset someone's two-step login:
they ask, and the privacy officer or another administrator approves. Until then nothing
is in force. Nobody approves their own request, nor a request about themselves. Every
step is in the audit log; the privacy officer's page lists the requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.activation import activation_issue, activation_mail
from buurtkracht.accounts.models import (
    AccessRequest,
    RecoveryCode,
    Role,
    RoleGrant,
    TeamMembership,
    User,
)
from buurtkracht.accounts.services import role_grant, team_membership_create
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Team

# Roles that read residents' data (files, signal reports, volunteer matches), or that hand
# out or oversee such rights. Granting one needs a second person.
ROLES_NEEDING_APPROVAL = frozenset(
    {
        Role.WORKER,
        Role.TEAM_LEADER,
        Role.SIGNAL_OFFICER,
        Role.VOLUNTEER_COORDINATOR,
        Role.VOLUNTEER,
        Role.OUTSIDE_PROFESSIONAL,
        Role.PRIVACY_OFFICER,
        Role.FUNCTIONAL_ADMIN,
    }
)
APPROVER_ROLES = (Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN)


class NotAllowed(Exception):
    """The step is not this person's to take; the message says why."""


def _audit(
    *, by: User, request: HttpRequest | None, access: AccessRequest, step: str, **extra: object
) -> None:
    audit_record(
        action=Action.UPDATE,
        user=by,
        request=request,
        obj=access.user,
        ground=Ground.ROLE,
        details={
            "access_request": step,
            "access_request_id": access.pk,
            "kind": access.kind,
            "role": access.role,
            **extra,
        },
    )


@transaction.atomic
def role_request(
    *, user: User, role: str, by: User, request: HttpRequest | None = None, reason: str = ""
) -> AccessRequest | RoleGrant:
    """Ask for `role` for `user`. A role without case content is granted at once (and
    logged); one that reaches residents' files waits for a second person."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    if user.pk == by.pk:
        raise NotAllowed("Nobody gives themselves a role.")
    if role not in ROLES_NEEDING_APPROVAL:
        grant = role_grant(user=user, role=role)
        audit_record(
            action=Action.UPDATE,
            user=by,
            request=request,
            obj=user,
            ground=Ground.ROLE,
            details={"role": role, "granted": True, "approval": "not needed"},
        )
        return grant
    existing = AccessRequest.objects.filter(
        user=user, kind=AccessRequest.Kind.ROLE, role=role, status=AccessRequest.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    access = AccessRequest.objects.create(
        kind=AccessRequest.Kind.ROLE,
        user=user,
        role=role,
        reason=reason,
        requested_by=by,
        requested_at=timezone.now(),
    )
    _audit(by=by, request=request, access=access, step="requested")
    return access


@transaction.atomic
def team_membership_request(
    *,
    user: User,
    team: Team,
    position: str,
    start_date: dt.date | None,
    by: User,
    request: HttpRequest | None = None,
    reason: str = "",
) -> AccessRequest:
    """Ask to place `user` in `team`: a place in a team opens the households its
    neighbourhoods hold (with the worker or team-leader role it brings), so it waits for a
    second person like the role itself."""
    if user.pk == by.pk:
        raise NotAllowed("Nobody places themselves in a team.")
    existing = AccessRequest.objects.filter(
        user=user, kind=AccessRequest.Kind.TEAM, team=team, status=AccessRequest.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    access = AccessRequest.objects.create(
        kind=AccessRequest.Kind.TEAM,
        user=user,
        team=team,
        position=position,
        start_date=start_date,
        reason=reason,
        requested_by=by,
        requested_at=timezone.now(),
    )
    _audit(by=by, request=request, access=access, step="requested", team=team.pk, position=position)
    return access


@transaction.atomic
def two_factor_reset_request(
    *, user: User, by: User, request: HttpRequest | None = None, reason: str = ""
) -> AccessRequest:
    """Ask to reset `user`'s two-step login (a lost phone). Until approved, nothing changes."""
    if user.pk == by.pk:
        raise NotAllowed("Nobody resets their own two-step login.")
    existing = AccessRequest.objects.filter(
        user=user, kind=AccessRequest.Kind.TWO_FACTOR_RESET, status=AccessRequest.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    access = AccessRequest.objects.create(
        kind=AccessRequest.Kind.TWO_FACTOR_RESET,
        user=user,
        reason=reason,
        requested_by=by,
        requested_at=timezone.now(),
    )
    _audit(by=by, request=request, access=access, step="requested")
    return access


def may_decide(access: AccessRequest, by: User | AnonymousUser) -> bool:
    """A privacy officer or another administrator; never the requester nor the subject."""
    return (
        isinstance(by, User)
        and access.status == AccessRequest.Status.PENDING
        and by.pk not in (access.requested_by_id, access.user_id)
        and any(by.has_role(role) for role in APPROVER_ROLES)
    )


def _decide(access_id: int, by: User) -> AccessRequest:
    access = (
        AccessRequest.objects.select_for_update()
        .select_related("user")
        .filter(pk=access_id)
        .first()
    )
    if access is None or not may_decide(access, by):
        raise NotAllowed("This request is not yours to decide, or was decided already.")
    access.decided_by = by
    access.decided_at = timezone.now()
    return access


@transaction.atomic
def access_request_approve(
    *, access_id: int, by: User, request: HttpRequest | None = None, base_url: str = ""
) -> AccessRequest:
    """Approve: the role comes into force, or the reset happens (devices, recovery codes and
    password gone; a new activation link is mailed to the owner)."""
    access = _decide(access_id, by)
    access.status = AccessRequest.Status.APPROVED
    access.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(by=by, request=request, access=access, step="approved")
    user = access.user
    if access.kind == AccessRequest.Kind.ROLE:
        role_grant(user=user, role=access.role)
        return access
    if access.kind == AccessRequest.Kind.TEAM:
        assert access.team is not None
        team_membership_create(
            user=user,
            team=access.team,
            position=access.position or TeamMembership.Position.WORKER,
            start_date=access.start_date,
        )
        return access
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    token = activation_issue(user=user, by=by, request=request)
    if base_url and user.email:
        activation_mail(user=user, token=token, base_url=base_url)
    return access


@transaction.atomic
def access_request_refuse(
    *, access_id: int, by: User, request: HttpRequest | None = None
) -> AccessRequest:
    access = _decide(access_id, by)
    access.status = AccessRequest.Status.REFUSED
    access.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(by=by, request=request, access=access, step="refused")
    return access


def role_grants_save(
    *,
    user: User,
    grants: Iterable[RoleGrant],
    deleted: Iterable[RoleGrant],
    by: User,
    request: HttpRequest | None = None,
) -> list[AccessRequest]:
    """The roles as edited in the admin: removed ones end at once (logged); new ones go
    through `role_request`. Returns the requests now waiting for a second person."""
    for grant in deleted:
        role = grant.role
        grant.delete()
        audit_record(
            action=Action.UPDATE,
            user=by,
            request=request,
            obj=user,
            ground=Ground.ROLE,
            details={"role": role, "removed": True},
        )
    user.__dict__.pop("_role_cache", None)
    waiting: list[AccessRequest] = []
    for grant in grants:
        if grant.pk is None:
            outcome = role_request(user=user, role=grant.role, by=by, request=request)
            if isinstance(outcome, AccessRequest):
                waiting.append(outcome)
    return waiting


def team_memberships_save(
    *,
    user: User,
    new: Iterable[TeamMembership],
    changed: Iterable[tuple[TeamMembership, list[str]]],
    deleted: Iterable[TeamMembership],
    by: User,
    request: HttpRequest | None = None,
) -> tuple[list[AccessRequest], list[TeamMembership]]:
    """The team places as edited in the admin. Removing a place or ending it earlier is
    done at once (logged); a new place waits for a second person; any other change (another
    team or position, an end moved later or taken away) is refused, since it would open
    files without approval. Returns the requests made and the changes refused."""
    for membership in deleted:
        label = str(membership)
        membership.delete()
        audit_record(
            action=Action.UPDATE,
            user=by,
            request=request,
            obj=user,
            ground=Ground.ROLE,
            details={"team_membership": label, "removed": True},
        )
    refused: list[TeamMembership] = []
    for membership, fields in changed:
        before = TeamMembership.objects.get(pk=membership.pk)
        ends_earlier = set(fields) <= {"end_date"} and (
            membership.end_date is not None
            and (before.end_date is None or membership.end_date <= before.end_date)
        )
        if not ends_earlier:
            refused.append(before)
            continue
        membership.save(update_fields=["end_date"])
        audit_record(
            action=Action.UPDATE,
            user=by,
            request=request,
            obj=user,
            ground=Ground.ROLE,
            details={"team_membership": str(membership), "ends": str(membership.end_date)},
        )
    waiting = [
        team_membership_request(
            user=user,
            team=membership.team,
            position=membership.position,
            start_date=membership.start_date,
            by=by,
            request=request,
        )
        for membership in new
    ]
    return waiting, refused
