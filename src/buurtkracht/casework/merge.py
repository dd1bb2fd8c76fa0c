"""Merging a duplicate household file into the one that stays.

A duplicate happens: an intake made anyway while a file existed, a person registered twice
under two spellings. One household, one plan, one lead worker (PRODUCT.md principle 1)
means the two become one. Everything that points at the duplicate moves to the file that
stays — found through Django's relations, so a later app (signals, network maps) is moved
too without being named here — and the merge is logged with both households' residents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.intake import intakes_move_to
from buurtkracht.casework.models import Plan
from buurtkracht.core.names import fold
from buurtkracht.core.queries import not_ended
from buurtkracht.households.grants import involvement_grant, involvements_regrant, led_team_serving
from buurtkracht.households.models import GrantPath, Household, Involvement, Membership
from buurtkracht.households.visibility import household_ground

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


@dataclass
class MergeCandidate:
    household: Household
    why: str


def merge_candidates(*, user: User, household: Household) -> list[MergeCandidate]:
    """Households that may be the same as `household`, and visible to `user` as team
    leader: others at the same address, and those where a member of this household (same
    surname and date of birth) is registered too."""
    today = timezone.localdate()
    found: dict[int, MergeCandidate] = {}
    for other in Household.objects.filter(address=household.address, end_date__isnull=True).exclude(
        pk=household.pk
    ):
        found[other.pk] = MergeCandidate(other, _("same address"))
    members = list(household.current_memberships().select_related("person"))
    births = {m.person.date_of_birth for m in members if m.person.date_of_birth}
    if births:
        for membership in (
            Membership.objects.filter(person__date_of_birth__in=births)
            .filter(not_ended(today))
            .exclude(household=household)
            .select_related("person", "household__address")
        ):
            person = membership.person
            if any(
                fold(person.surname) == fold(m.person.surname)
                and person.date_of_birth == m.person.date_of_birth
                for m in members
            ):
                found.setdefault(
                    membership.household_id,
                    MergeCandidate(
                        membership.household,
                        _("%(name)s, born %(date)s, is registered there too")
                        % {"name": person.full_name, "date": f"{person.date_of_birth:%d-%m-%Y}"},
                    ),
                )
    return [c for c in found.values() if household_ground(user, c.household) == Ground.TEAM_LEADER]


def _move_memberships(duplicate: Household, keep: Household) -> None:
    present = set(keep.memberships.values_list("person_id", flat=True))
    duplicate.memberships.filter(person_id__in=present).delete()
    duplicate.memberships.update(household=keep)


def _move_involvements(duplicate: Household, keep: Household, by: User) -> None:
    """One lead worker: when both files have one, the duplicate's lead stays involved as
    co-worker (their knowledge of the household is not lost). Who worked with the
    duplicate now reads the file that stays: a grant by the team leader who merges,
    recorded as such (households/grants.py)."""
    today = timezone.localdate()
    team = led_team_serving(by, keep)
    keep_lead = keep.involvements.filter(kind=Involvement.Kind.LEAD, end_date__isnull=True).first()
    for involvement in duplicate.involvements.filter(end_date__isnull=True):
        already = keep.involvements.filter(worker=involvement.worker, end_date__isnull=True)
        if already.exists():
            involvement.end_date = today
            involvement.save(update_fields=["end_date"])
        elif involvement.kind == Involvement.Kind.LEAD and keep_lead is not None:
            involvement.end_date = today
            involvement.save(update_fields=["end_date"])
            involvement_grant(
                household=keep,
                worker=involvement.worker,
                kind=Involvement.Kind.CO_WORKER,
                via=GrantPath.MERGE,
                by=by,
                team=team,
                handover_note=_("Was lead worker of a duplicate file, merged on %(date)s.")
                % {"date": f"{today:%d-%m-%Y}"},
            )
    involvements_regrant(
        duplicate.involvements.exclude(end_date__lte=today),
        via=GrantPath.MERGE,
        by=by,
        team=team,
    )
    duplicate.involvements.update(household=keep)


def _move_plan(duplicate: Household, keep: Household) -> None:
    """One plan: the duplicate's goals (with their actions) and reviews join the plan
    that stays; a plan alone simply moves."""
    dup_plan = Plan.objects.filter(household=duplicate).first()
    if dup_plan is None:
        return
    keep_plan = Plan.objects.filter(household=keep).first()
    if keep_plan is None:
        dup_plan.household = keep
        dup_plan.version += 1
        dup_plan.save(update_fields=["household", "version", "updated_at"])
        return
    dup_plan.goals.update(plan=keep_plan)
    dup_plan.reviews.update(plan=keep_plan)
    keep_plan.version += 1
    keep_plan.save(update_fields=["version", "updated_at"])
    dup_plan.delete()


SPECIAL = {"memberships", "involvements", "plan", "intakes"}


@transaction.atomic
def household_merge(
    *,
    keep: Household,
    duplicate: Household,
    by: User,
    reason: str,
    request: HttpRequest | None = None,
) -> Household:
    """Merge `duplicate` into `keep`. Only a team leader of both households may; the reason
    is required and the merge is logged with the residents of both files."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose another household than this one."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why these are the same household.")})
    if not (
        household_ground(by, keep) == Ground.TEAM_LEADER
        and household_ground(by, duplicate) == Ground.TEAM_LEADER
    ):
        raise PermissionDenied("Only a team leader of both households merges them.")
    subjects = sorted(set(keep.current_member_ids()) | set(duplicate.current_member_ids()))
    _move_memberships(duplicate, keep)
    _move_involvements(duplicate, keep, by)
    _move_plan(duplicate, keep)
    # After the involvements moved: an open intake goes to the lead worker the file has now.
    intakes_move_to(duplicate=duplicate, keep=keep, by=by, reason=reason, request=request)
    # Everything else that points at a household moves as it is: contacts, conversations,
    # emergency accesses, and whatever later apps add.
    for relation in Household._meta.related_objects:
        if relation.get_accessor_name() in SPECIAL or relation.one_to_one:
            continue
        if isinstance(relation, models.ManyToOneRel) and not relation.many_to_many:
            relation.related_model._default_manager.filter(  # type: ignore[union-attr]
                **{relation.field.name: duplicate}
            ).update(**{relation.field.name: keep})
    duplicate_id = duplicate.pk
    duplicate.delete()
    audit_record(
        action=AuditAction.MERGE,
        user=by,
        request=request,
        subjects=subjects,
        obj=keep,
        ground=Ground.TEAM_LEADER,
        details={"kept": keep.pk, "merged": duplicate_id, "reason": reason.strip()},
    )
    return keep
