"""Writes on accounts: roles and team memberships. Activation and the two-step login are in
`activation`; the four-eyes requests that give roles through the pages in `approvals`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import Absence, Role, RoleGrant, TeamMembership, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.accounts.roles import FUNCTIONAL_ADMIN_GROUP
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core import validators
from buurtkracht.core.models import Team
from buurtkracht.core.queries import in_force, not_ended

if TYPE_CHECKING:
    from django.http import HttpRequest


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


def _leads(by: User, team: Team) -> None:
    if not current_teams(by, TeamMembership.Position.TEAM_LEADER).filter(pk=team.pk).exists():
        raise PermissionDenied("Only the team's leader records its members' absence.")


def _absence_log(action: str, by: User, absence: Absence, request: HttpRequest | None) -> None:
    # About a worker, not a resident: no subjects. The category is kept, never more.
    audit_record(
        action=action,
        user=by,
        request=request,
        obj=absence,
        ground=Ground.TEAM_LEADER,
        details={
            "absence": {
                "worker": absence.user.get_username(),
                "team": absence.team.name,
                "from": absence.start_date.isoformat(),
                "until": absence.end_date.isoformat() if absence.end_date else "",
                "reason": absence.reason,
            }
        },
    )


@transaction.atomic
def absence_record(
    *,
    user: User,
    team: Team,
    start_date: dt.date | None,
    end_date: dt.date | None,
    reason: str,
    by: User,
    request: HttpRequest | None = None,
) -> Absence:
    """The team leader records that a member of their team is away from `start_date` to
    `end_date` (the last day away; empty while not known), with an optional category.
    Refuses a period that overlaps one already recorded for the same worker."""
    _leads(by, team)
    if not TeamMembership.objects.filter(in_force(), user=user, team=team).exists():
        raise PermissionDenied("Absence is recorded for members of the leader's team.")
    errors: dict[str, str] = {}
    if reason and reason not in Absence.Reason.values:
        errors["reason"] = _("Choose leave, reported sick, training or other, or leave it empty.")
    if start_date is None:
        errors["start_date"] = _("Fill in the first day away, for example 14-12-2026.")
    elif message := validators.ABSENCE.error(start_date):
        errors["start_date"] = message
    if end_date is not None and "end_date" not in errors:
        if message := validators.ABSENCE.error(end_date):
            errors["end_date"] = message
        elif start_date is not None and end_date < start_date:
            errors["end_date"] = _(
                "The last day away cannot lie before the first. Fill in %(date)s or later, "
                "or leave it empty when it is not known yet."
            ) % {"date": formats.date_format(start_date, "d-m-Y")}
    if not errors and start_date is not None:
        overlapping = Absence.objects.filter(user=user).filter(not_ended(start_date))
        if end_date is not None:
            overlapping = overlapping.filter(start_date__lte=end_date)
        if clash := overlapping.order_by("start_date").first():
            errors["start_date"] = _(
                "%(name)s is already recorded as away from %(start)s%(until)s. End that "
                "absence first, or choose other days."
            ) % {
                "name": user.get_full_name() or user.username,
                "start": formats.date_format(clash.start_date, "d-m-Y"),
                "until": (
                    _(" until %(date)s") % {"date": formats.date_format(clash.end_date, "d-m-Y")}
                    if clash.end_date
                    else ""
                ),
            }
    if errors:
        raise ValidationError(errors)
    assert start_date is not None
    absence = Absence.objects.create(
        user=user,
        team=team,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    _absence_log(AuditAction.CREATE, by, absence, request)
    return absence


@transaction.atomic
def absence_end(*, absence: Absence, by: User, request: HttpRequest | None = None) -> None:
    """The worker is back (or the absence was recorded by mistake): an absence that has
    begun ends yesterday; one that has not begun yet is removed. Logged either way."""
    _leads(by, absence.team)
    today = timezone.localdate()
    if absence.start_date >= today:
        _absence_log(AuditAction.DELETE, by, absence, request)
        absence.delete()
        return
    absence.end_date = today - dt.timedelta(days=1)
    absence.save(update_fields=["end_date"])
    _absence_log(AuditAction.UPDATE, by, absence, request)
