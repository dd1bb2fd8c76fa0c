"""New intakes of a team: assigning or handing them to the lead worker, closing, merging."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import TeamMembership
from buurtkracht.accounts.queries import assigning_teams, current_teams
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.intake.registration import _serving_team
from buurtkracht.casework.models import Intake
from buurtkracht.households.grants import involvement_grant
from buurtkracht.households.models import GrantPath, Household, Involvement

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


def intakes_for(user: User) -> QuerySet[Intake]:
    """New intakes of the teams the user works in or leads now."""
    return (
        Intake.objects.filter(team__in=current_teams(user), status=Intake.Status.NEW)
        .select_related("household__address", "team", "created_by")
        .order_by("created_at")
    )


def current_leads(household_ids: list[int]) -> dict[int, Involvement]:
    """The lead worker (regisseur) of each of these households that has one now: the one
    an intake for the household goes to instead of a second lead."""
    return {
        involvement.household_id: involvement
        for involvement in Involvement.objects.filter(
            household_id__in=household_ids, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .select_related("worker")
        .order_by("start_date", "pk")
    }


def _handling_ground(*, intake: Intake, by: User) -> str:
    """Whether `by` may handle this intake (assign, hand to the lead worker, close): the
    team leader of the intake's team, or a member where the team lets members assign.
    Returns the ground for the log; anyone else is refused."""
    team_id = intake.team_id
    if team_id is None or not assigning_teams(by).filter(pk=team_id).exists():
        raise PermissionDenied("This user may not handle intakes in the intake's team.")
    leads = current_teams(by, TeamMembership.Position.TEAM_LEADER).filter(pk=team_id).exists()
    return Ground.TEAM_LEADER if leads else Ground.TEAM


def _require_new(intake: Intake) -> None:
    if intake.status != Intake.Status.NEW:
        raise ValidationError(_("This intake has been handled already."))


@transaction.atomic
def intake_assign(
    *, intake: Intake, worker: User, by: User, request: HttpRequest | None = None
) -> Intake:
    """The team leader — or any member, where the team's setting allows it — gives the
    household its one lead worker (één regisseur)."""
    ground = _handling_ground(intake=intake, by=by)
    if not current_teams(worker).filter(pk=intake.team_id or 0).exists():
        raise ValidationError({"worker": _("Choose a worker of this team.")})
    _require_new(intake)
    household = intake.household
    if household is None:
        raise ValidationError(
            _("Find the address first: a lead worker is assigned to a household.")
        )
    if household.pk in current_leads([household.pk]):
        raise ValidationError(
            _(
                "This household has a lead worker already. "
                "Hand the intake to the lead worker, or close it with a reason."
            )
        )
    involvement_grant(
        household=household,
        worker=worker,
        kind=Involvement.Kind.LEAD,
        via=GrantPath.INTAKE,
        by=by,
        team=intake.team,
    )
    intake.status = Intake.Status.ASSIGNED
    intake.assigned_to = worker
    intake.assigned_at = timezone.now()
    intake.save(update_fields=["status", "assigned_to", "assigned_at"])
    audit_record(
        action=AuditAction.UPDATE,
        user=by,
        request=request,
        subjects=household.current_member_ids(),
        obj=intake,
        ground=ground,
        details={"lead_worker": worker.get_username()},
    )
    return intake


def _hand_to_lead(
    *,
    intake: Intake,
    lead: Involvement,
    by: User,
    ground: str,
    request: HttpRequest | None,
    details: dict[str, Any],
) -> Intake:
    now = timezone.now()
    intake.status = Intake.Status.JOINED
    intake.assigned_to = lead.worker
    intake.assigned_at = now
    intake.closed_at = now
    intake.closed_by = by
    intake.save(update_fields=["status", "assigned_to", "assigned_at", "closed_at", "closed_by"])
    household = intake.household
    audit_record(
        action=AuditAction.UPDATE,
        user=by,
        request=request,
        subjects=household.current_member_ids() if household else [],
        obj=intake,
        ground=ground,
        details={"intake": "handed to the lead worker", "lead_worker": lead.worker.get_username()}
        | details,
    )
    return intake


@transaction.atomic
def intake_hand_to_lead(*, intake: Intake, by: User, request: HttpRequest | None = None) -> Intake:
    """Bij de regisseur leggen: the household has its lead worker already, so the intake
    is not assigned again but closed as joined to the existing file, and lands with that
    lead worker (on their start page and the file). One household, one lead worker."""
    ground = _handling_ground(intake=intake, by=by)
    _require_new(intake)
    if intake.household_id is None:
        raise ValidationError(
            _("Find the address first: only then is it clear which file the intake joins.")
        )
    lead = current_leads([intake.household_id]).get(intake.household_id)
    if lead is None:
        raise ValidationError(_("This household has no lead worker yet. Assign one instead."))
    return _hand_to_lead(
        intake=intake, lead=lead, by=by, ground=ground, request=request, details={}
    )


@transaction.atomic
def intake_close(
    *, intake: Intake, by: User, reason: str, request: HttpRequest | None = None
) -> Intake:
    """Close an intake that needs no lead worker (help no longer wanted, reported twice,
    handled elsewhere), with the reason, so the team can find later why."""
    ground = _handling_ground(intake=intake, by=by)
    _require_new(intake)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Write in one sentence why the intake is closed.")})
    intake.status = Intake.Status.CLOSED
    intake.closed_at = timezone.now()
    intake.closed_by = by
    intake.closed_reason = reason.strip()
    intake.save(update_fields=["status", "closed_at", "closed_by", "closed_reason"])
    audit_record(
        action=AuditAction.UPDATE,
        user=by,
        request=request,
        subjects=intake.household.current_member_ids() if intake.household else [],
        obj=intake,
        ground=ground,
        details={"intake": "closed", "reason": intake.closed_reason},
    )
    return intake


def intakes_move_to(
    *,
    duplicate: Household,
    keep: Household,
    by: User,
    reason: str,
    request: HttpRequest | None = None,
) -> list[Intake]:
    """A merge's part for intakes (called inside `household_merge`, which checked that
    `by` leads both households' teams). The duplicate's intakes move to the file that
    stays, each logged with the merge's reason; an open one lands with the team serving
    that file, and where the file has a lead worker it is handed to them at once, so no
    intake stays behind that can be neither assigned nor closed."""
    intakes = list(Intake.objects.filter(household=duplicate).select_related("team"))
    if not intakes:
        return []
    team = _serving_team(keep)
    lead = current_leads([keep.pk]).get(keep.pk)
    subjects = keep.current_member_ids()
    merge = {"merged": duplicate.pk, "kept": keep.pk, "merge_reason": reason.strip()}
    moved = []
    for intake in intakes:
        intake.household = keep
        fields = ["household"]
        if intake.status == Intake.Status.NEW and team is not None and intake.team_id != team.pk:
            intake.team = team
            fields.append("team")
        intake.save(update_fields=fields)
        audit_record(
            action=AuditAction.UPDATE,
            user=by,
            request=request,
            subjects=subjects,
            obj=intake,
            ground=Ground.TEAM_LEADER,
            details={"intake": "moved by merge", "team": str(intake.team or "")} | merge,
        )
        if intake.status == Intake.Status.NEW and lead is not None:
            _hand_to_lead(
                intake=intake,
                lead=lead,
                by=by,
                ground=Ground.TEAM_LEADER,
                request=request,
                details=merge,
            )
        moved.append(intake)
    return moved
