"""Handover (overdracht): when a worker leaves or changes team, the team leader moves their
households to colleagues in one action, each with a handover note, so no household is
left without its lead worker (één regisseur).

From the household file, the lead worker (or the team leader) hands over the lead of that
one household in one step: `lead_handover`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import Absence, TeamMembership, User
from buurtkracht.accounts.queries import current_teams
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.queries import in_force
from buurtkracht.households.grants import (
    file_grant_ground,
    involvement_grant,
    lead_pass,
    led_team_serving,
)
from buurtkracht.households.models import GrantPath, Household, Involvement
from buurtkracht.households.queries import co_worker_candidates

if TYPE_CHECKING:
    from django.http import HttpRequest


def handover_candidates(leader: User) -> QuerySet[User]:
    """Workers in the teams the leader leads now."""
    led = current_teams(leader, TeamMembership.Position.TEAM_LEADER)
    # One subquery, so that the team and the period are those of the same membership.
    members = TeamMembership.objects.filter(team__in=led).filter(in_force()).values("user_id")
    return (
        User.objects.filter(pk__in=members)
        .exclude(pk=leader.pk)
        .order_by("last_name", "first_name")
    )


def involvements_to_hand_over(leader: User, worker: User) -> QuerySet[Involvement]:
    """The worker's current involvements in households of the leader's neighbourhoods."""
    led = current_teams(leader, TeamMembership.Position.TEAM_LEADER)
    return (
        Involvement.objects.filter(worker=worker, end_date__isnull=True)
        .filter(household__address__neighbourhood__teams__in=led)
        .select_related("household__address")
        .distinct()
        .order_by("kind", "household__address__street", "household__address__house_number")
    )


@dataclass
class Move:
    involvement: Involvement
    to: User
    note: str


@transaction.atomic
def handover(*, leader: User, moves: list[Move], request: HttpRequest | None = None) -> int:
    """Move each involvement to its new worker, ending the old one yesterday so that access
    ends at once, and carrying the note. Refuses as a whole if one move is wrong."""
    allowed_workers = set(handover_candidates(leader).values_list("pk", flat=True))
    today = timezone.localdate()
    for move in moves:
        if move.involvement.worker_id == move.to.pk:
            raise ValidationError(_("Choose a colleague other than the worker who leaves."))
        if move.to.pk not in allowed_workers:
            raise PermissionDenied("Handover only to workers of the leader's own teams.")
        if (
            not involvements_to_hand_over(leader, move.involvement.worker)
            .filter(pk=move.involvement.pk)
            .exists()
        ):
            raise PermissionDenied("Only households of the leader's own neighbourhoods.")
        if not move.note.strip():
            raise ValidationError(
                _("Write a handover note for %(address)s: what should the new worker know?")
                % {"address": move.involvement.household.address.street_line}
            )
    for move in moves:
        old = move.involvement
        old.end_date = today - dt.timedelta(days=1)
        old.save(update_fields=["end_date"])
        involvement_grant(
            household=old.household,
            worker=move.to,
            kind=old.kind,
            via=GrantPath.HANDOVER,
            by=leader,
            team=led_team_serving(leader, old.household),
            handover_note=move.note.strip(),
        )
        audit_record(
            action=AuditAction.UPDATE,
            user=leader,
            request=request,
            subjects=old.household.current_member_ids(),
            obj=old.household,
            ground=Ground.TEAM_LEADER,
            details={
                "handover": {
                    "from": old.worker.get_username(),
                    "to": move.to.get_username(),
                    "kind": old.kind,
                }
            },
        )
    return len(moves)


def lead_candidates(household: Household) -> QuerySet[User]:
    """Who may take over the lead from the file: a colleague of a team serving the
    household who is not involved yet, or one of its co-workers now."""
    co_workers = household.involvements.filter(
        kind=Involvement.Kind.CO_WORKER, end_date__isnull=True
    ).values("worker_id")
    candidates = co_worker_candidates(household).values("pk")
    return User.objects.filter(
        Q(pk__in=candidates) | Q(pk__in=co_workers), is_active=True
    ).order_by("last_name", "first_name", "username")


@transaction.atomic
def lead_handover(
    *,
    household: Household,
    to: User,
    note: str,
    by: User,
    request: HttpRequest | None = None,
) -> Involvement:
    """Hand over the lead of one household in one step, from its file: the lead worker
    or the team leader of a serving team names the colleague and writes the handover note;
    the old lead's involvement ends at once, the new one starts today. Refuses as a whole
    (nothing changed) when the colleague or the note is wrong."""
    ground, _team = file_grant_ground(by=by, household=household)
    errors: dict[str, str] = {}
    if not lead_candidates(household).filter(pk=to.pk).exists():
        errors["to"] = _("Choose a colleague from the team who does not hold the lead yet.")
    if not note.strip():
        errors["note"] = _("Write a handover note: what should the new lead worker know?")
    if errors:
        raise ValidationError(errors)
    old, new = lead_pass(household=household, to=to, by=by, handover_note=note.strip())
    audit_record(
        action=AuditAction.UPDATE,
        user=by,
        request=request,
        subjects=household.current_member_ids(),
        obj=household,
        ground=ground,
        details={
            "handover": {
                "from": old.worker.get_username() if old else "",
                "to": to.get_username(),
                "kind": Involvement.Kind.LEAD,
                "on_file": True,
            }
        },
    )
    return new


@dataclass
class Covered:
    """What moving an absent worker's due items did."""

    households_handed_over: int = 0
    actions_moved: int = 0


@transaction.atomic
def cover_while_away(
    *,
    leader: User,
    worker: User,
    household_ids: list[int],
    to: User,
    note: str = "",
    back_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Covered:
    """While `worker` is away, the team leader moves what falls due in the chosen
    households to the colleague `to`, in one step: where `to` is not involved in the
    household yet, `worker`'s place there (lead worker or co-worker) is handed over to them
    (`handover`, with a note that names the absence), so the review and the file go with
    it; and the actions `worker` does themselves there are reassigned to `to` through the
    plan's own service (`action_edit`, audited, the plan's version raised). Refuses as a
    whole if one step is wrong. Handing back is a handover too, once `worker` is back."""
    from buurtkracht.casework.models import Action, Goal
    from buurtkracht.casework.services.goals import action_edit

    if not household_ids:
        raise ValidationError(_("Tick at least one household whose work is to move."))
    if to.pk == worker.pk:
        raise ValidationError(_("Choose a colleague other than the worker who is away."))
    today = timezone.localdate()
    if Absence.objects.filter(user=to).filter(in_force(today)).exists():
        raise ValidationError(
            _("%(name)s is away too. Choose a colleague who is at work.")
            % {"name": to.get_full_name() or to.username}
        )
    involvements = list(
        involvements_to_hand_over(leader, worker).filter(household_id__in=household_ids)
    )
    if {i.household_id for i in involvements} != set(household_ids):
        raise PermissionDenied("Only households of the worker in the leader's neighbourhoods.")
    already = set(
        Involvement.objects.filter(
            worker=to, household_id__in=household_ids, end_date__isnull=True
        ).values_list("household_id", flat=True)
    )
    name = worker.get_full_name() or worker.username
    if back_on is not None:
        reason = _("While %(name)s is away (until %(date)s).") % {
            "name": name,
            "date": back_on.strftime("%d-%m-%Y"),
        }
    else:
        reason = _("While %(name)s is away.") % {"name": name}
    text = f"{reason} {note.strip()}".strip()
    moves = [Move(i, to, text) for i in involvements if i.household_id not in already]
    covered = Covered()
    if moves:
        covered.households_handed_over = handover(leader=leader, moves=moves, request=request)
    actions = (
        Action.objects.filter(
            owner_worker=worker,
            status=Action.Status.TO_DO,
            goal__status=Goal.Status.OPEN,
            goal__plan__closed_on__isnull=True,
            goal__plan__household_id__in=household_ids,
        )
        .select_related("goal__plan__household", "owner_tie", "owner_worker")
        .order_by("pk")
    )
    for action in actions:
        action_edit(
            action=action,
            description=action.description,
            owner=action.owner,
            step=action.step,
            due_date=action.due_date,
            owner_worker=to,
            user=leader,
            request=request,
            ground=Ground.TEAM_LEADER,
        )
        covered.actions_moved += 1
    return covered
