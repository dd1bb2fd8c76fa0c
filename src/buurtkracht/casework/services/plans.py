"""The plan, its goals and actions, and agreeing it; every change raises its version."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import (
    Action,
    Goal,
    LifeDomain,
    Plan,
    Step,
)
from buurtkracht.core import validators
from buurtkracht.core.queries import not_ended
from buurtkracht.households.models import Household, Involvement
from buurtkracht.network.models import Tie

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

# Six months is the usual review rhythm of a 1-plan; earlier when the plan is stuck.
DEFAULT_REVIEW_MONTHS = 6


class PlanChangedMeanwhile(ValidationError):
    """Someone else saved the plan after this user opened it."""


def _subjects(household: Household) -> list[int]:
    return household.current_member_ids()


def _log(
    *,
    action: str,
    user: User,
    household: Household,
    obj: Any,
    request: HttpRequest | None,
    ground: str = Ground.INVOLVEMENT,
    **details: Any,
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        subjects=_subjects(household),
        obj=obj,
        ground=ground,
        details=details,
    )


def _bump(plan: Plan, expected_version: int | None) -> None:
    """Refuse a change made on an old copy of the plan; otherwise raise its version.

    The update is conditional in SQL, so two saves at the same moment cannot both win."""
    if expected_version is None:
        expected_version = plan.version
    updated = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=expected_version + 1, updated_at=timezone.now()
    )
    if not updated:
        raise PlanChangedMeanwhile(
            _(
                "Someone else changed this plan while you were working on it. Your text is "
                "still below: check the plan as it is now, then save again."
            ),
            code="plan_changed",
        )
    plan.version = expected_version + 1


def _plan_changed(
    plan: Plan,
    *,
    obj: Any,
    user: User,
    request: HttpRequest | None,
    ground: str,
    change: str,
    expected_version: int | None = None,
    bump: bool = True,
    **details: Any,
) -> None:
    """The one way a plan changes: refuse a stale copy, raise the version, log it."""
    if bump:
        _bump(plan, expected_version)
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=plan.household,
        obj=obj,
        request=request,
        ground=ground,
        change=change,
        **details,
    )


def _past_or_today(errors: dict[str, str], field: str, day: dt.date) -> None:
    """Things that happened (a review, a conversation, an agreement) lie in the past, and
    not so far back that the year must be a typing error."""
    _in_range(errors, field, day, validators.HAPPENED)


def _in_range(
    errors: dict[str, str], field: str, day: dt.date | None, dates: validators.DateRange
) -> None:
    if day is not None and field not in errors and (message := dates.error(day)):
        errors[field] = message


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def plan_get_or_create(
    *,
    household: Household,
    user: User,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Plan:
    """The household's one plan; made on first use, with a review date six months on."""
    plan = Plan.objects.filter(household=household).first()
    if plan is not None:
        return plan
    plan = Plan.objects.create(
        household=household,
        created_by=user,
        review_date=_months_later(timezone.localdate(), DEFAULT_REVIEW_MONTHS),
    )
    _log(
        action=AuditAction.CREATE,
        user=user,
        household=household,
        obj=plan,
        request=request,
        ground=ground,
    )
    return plan


def goal_check(text: str, domains: list[str]) -> str:
    """What a goal needs: the resident's words and at least one life domain."""
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the goal the way the resident says it.")
    unknown = [d for d in domains if d not in LifeDomain.values]
    if not domains or unknown:
        errors["domains"] = _("Choose at least one life domain this goal is about.")
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def goal_add(
    *,
    plan: Plan,
    text: str,
    domains: list[str],
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Goal:
    """Add a goal in the resident's own words, tied to at least one life domain."""
    text = goal_check(text, domains)
    goal = Goal.objects.create(plan=plan, text=text, domains=list(dict.fromkeys(domains)))
    # A stale copy raises here, inside the transaction: the new goal is rolled back.
    _plan_changed(
        plan,
        obj=goal,
        user=user,
        request=request,
        ground=ground,
        change="goal added",
        expected_version=expected_version,
    )
    return goal


def action_fields_check(
    *,
    household_id: int,
    description: str,
    owner: str,
    step: int,
    due_date: dt.date | None,
    owner_tie: Tie | None,
    owner_worker: User | None,
    replaceable: frozenset[str] = frozenset(),
) -> str:
    """Check what an action needs (adding or editing) and return who does it, as written.

    Who does it is written, or taken from the person chosen: someone on the network map
    (step 2 only) or a worker involved in the household. A written name in `replaceable`
    (when editing: the name that was there before the person chosen changed) gives way to
    the person chosen, so reassigning takes one choice."""
    errors: dict[str, str] = {}
    owner = (owner or "").strip()
    today = timezone.localdate()
    if owner_tie is not None and owner_worker is not None:
        errors["owner_worker"] = _("Choose someone from the network map or a worker, not both.")
    if owner_tie is not None:
        if (
            owner_tie.household_id != household_id
            or owner_tie.do_not_contact
            or (owner_tie.ended_on is not None and owner_tie.ended_on <= today)
        ):
            errors["owner_tie"] = _(
                "Choose someone who is on the network map now and may be contacted."
            )
        elif step != Step.NETWORK:
            errors["owner_tie"] = _(
                "Someone from the network map does an action at step 2 (network). Choose "
                "that step, or leave the network map choice empty."
            )
        elif not owner or owner in replaceable:
            owner = owner_tie.name
    if owner_worker is not None and "owner_worker" not in errors:
        involved = Involvement.objects.filter(
            not_ended(today), household_id=household_id, worker=owner_worker
        ).exists()
        if not involved:
            errors["owner_worker"] = _("Choose a worker who is involved in this household now.")
        elif not owner or owner in replaceable:
            owner = owner_worker.get_full_name() or owner_worker.username
    if not (description or "").strip():
        errors["description"] = _("Write what will be done.")
    _in_range(errors, "due_date", due_date, validators.PLANNED)
    if not owner:
        errors["owner"] = _(
            "Write who does it: the resident, someone they know, or an organisation."
        )
    if step not in Step.values:
        errors["step"] = _(
            "Choose the step: own strength, network, general or individual provision."
        )
    if errors:
        raise ValidationError(errors)
    return owner


@transaction.atomic
def action_add(
    *,
    goal: Goal,
    description: str,
    owner: str,
    step: int,
    user: User,
    due_date: dt.date | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
    owner_tie: Tie | None = None,
    owner_worker: User | None = None,
) -> Action:
    """Add an action under a goal, with who does it and its step in the four-step order.
    At step 2 (network) someone from the resident's network map may do it (`owner_tie`);
    their name is then the owner unless another is written. A worker involved in the
    household may do it too (`owner_worker`)."""
    owner = action_fields_check(
        household_id=goal.plan.household_id,
        description=description,
        owner=owner,
        step=step,
        due_date=due_date,
        owner_tie=owner_tie,
        owner_worker=owner_worker,
    )
    action = Action.objects.create(
        goal=goal,
        description=description.strip(),
        owner=owner.strip(),
        step=step,
        due_date=due_date,
        owner_tie=owner_tie,
        owner_worker=owner_worker,
    )
    _plan_changed(
        goal.plan,
        obj=action,
        user=user,
        request=request,
        ground=ground,
        change="action added",
        expected_version=expected_version,
        step=step,
    )
    return action


@transaction.atomic
def action_set_status(
    *,
    action: Action,
    status: str,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Action:
    """Mark an action done, not done or no longer needed (or back to do). From a page,
    `expected_version` is the plan's version it was opened at: a stale page is refused."""
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Choose to do, done, not done or no longer needed.")})
    previous = action.status
    action.status = status
    action.save(update_fields=["status"])
    _plan_changed(
        action.goal.plan,
        obj=action,
        user=user,
        request=request,
        ground=ground,
        change=f"action {status}",
        expected_version=expected_version,
        previous=previous,
    )
    return action


@transaction.atomic
def plan_agree(
    *,
    plan: Plan,
    agreed_on: dt.date,
    how: str,
    user: User,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Plan:
    """Record that the resident agreed with the plan as it stands."""
    errors: dict[str, str] = {}
    if how not in Plan.AgreedHow.values:
        errors["how"] = _("Choose how the resident agreed: spoken, written or online.")
    _past_or_today(errors, "agreed_on", agreed_on)
    if errors:
        raise ValidationError(errors)
    plan.agreed_on = agreed_on
    plan.agreed_how = how
    plan.save(update_fields=["agreed_on", "agreed_how", "updated_at"])
    _plan_changed(
        plan, obj=plan, user=user, request=request, ground=ground, change="agreed", bump=False
    )
    return plan
