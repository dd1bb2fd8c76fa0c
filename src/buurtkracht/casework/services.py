"""Writes on plans and contacts. Every write is an audit event on the household's residents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import (
    Action,
    ClosureReason,
    Contact,
    Conversation,
    Goal,
    LifeDomain,
    Plan,
    Review,
    Step,
)
from buurtkracht.core import validators
from buurtkracht.households.models import Household
from buurtkracht.network.models import Tie

# Six months is the usual review rhythm of a 1-plan; earlier when the plan is stuck.
DEFAULT_REVIEW_MONTHS = 6


class PlanChangedMeanwhile(ValidationError):
    """Someone else saved the plan after this user opened it."""


def _subjects(household: Household) -> list[int]:
    return household.current_member_ids()


def _log(
    *, action: str, user: Any, household: Household, obj: Any, request: Any, **details: Any
) -> None:
    audit_record(
        action=action,
        user=user,
        request=request,
        subjects=_subjects(household),
        obj=obj,
        ground=Ground.INVOLVEMENT,
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
    user: Any,
    request: Any,
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
    *, household: Household, user: Any, request: Any = None, ground: str = Ground.INVOLVEMENT
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


@transaction.atomic
def goal_add(
    *,
    plan: Plan,
    text: str,
    domains: list[str],
    user: Any,
    expected_version: int | None = None,
    request: Any = None,
    ground: str = Ground.INVOLVEMENT,
) -> Goal:
    """Add a goal in the resident's own words, tied to at least one life domain."""
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the goal the way the resident says it.")
    unknown = [d for d in domains if d not in LifeDomain.values]
    if not domains or unknown:
        errors["domains"] = _("Choose at least one life domain this goal is about.")
    if errors:
        raise ValidationError(errors)
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


@transaction.atomic
def action_add(
    *,
    goal: Goal,
    description: str,
    owner: str,
    step: int,
    user: Any,
    due_date: dt.date | None = None,
    expected_version: int | None = None,
    request: Any = None,
    ground: str = Ground.INVOLVEMENT,
    owner_tie: Tie | None = None,
) -> Action:
    """Add an action under a goal, with who does it and its step in the four-step order.
    At step 2 (network) someone from the resident's network map may do it (`owner_tie`);
    their name is then the owner unless another is written."""
    errors: dict[str, str] = {}
    if owner_tie is not None:
        today = timezone.localdate()
        if (
            owner_tie.household_id != goal.plan.household_id
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
        elif not (owner or "").strip():
            owner = owner_tie.name
    if not (description or "").strip():
        errors["description"] = _("Write what will be done.")
    _in_range(errors, "due_date", due_date, validators.PLANNED)
    if not (owner or "").strip():
        errors["owner"] = _(
            "Write who does it: the resident, someone they know, or an organisation."
        )
    if step not in Step.values:
        errors["step"] = _(
            "Choose the step: own strength, network, general or individual provision."
        )
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        goal=goal,
        description=description.strip(),
        owner=owner.strip(),
        step=step,
        due_date=due_date,
        owner_tie=owner_tie,
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
    *, action: Action, status: str, user: Any, request: Any = None, ground: str = Ground.INVOLVEMENT
) -> Action:
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Choose to do, done or cancelled.")})
    action.status = status
    action.save(update_fields=["status"])
    _plan_changed(
        action.goal.plan,
        obj=action,
        user=user,
        request=request,
        ground=ground,
        change=f"action {status}",
    )
    return action


@transaction.atomic
def plan_agree(
    *,
    plan: Plan,
    agreed_on: dt.date,
    how: str,
    user: Any,
    request: Any = None,
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


@transaction.atomic
def contact_record(
    *,
    household: Household,
    worker: Any,
    kind: str,
    note: str = "",
    with_whom: str = "",
    sensitive: bool = False,
    happened_at: dt.datetime | None = None,
    request: Any = None,
    ground: str = Ground.INVOLVEMENT,
) -> Contact:
    """Record a contact. Only the kind is needed: light registration (principle 6)."""
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of contact it was.")})
    happened_at = happened_at or timezone.now()
    if happened_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(
            {"happened_at": _("The contact lies in the future. Use now or earlier.")}
        )
    contact = Contact.objects.create(
        household=household,
        worker=worker,
        kind=kind,
        note=(note or "").strip(),
        with_whom=(with_whom or "").strip(),
        sensitive=sensitive,
        happened_at=happened_at,
    )
    _log(
        action=AuditAction.CREATE,
        user=worker,
        household=household,
        obj=contact,
        request=request,
        ground=ground,
        kind=kind,
    )
    return contact


DEFAULT_AFTERCARE_MONTHS = 3


@transaction.atomic
def plan_review(
    *,
    plan: Plan,
    held_on: dt.date,
    what_changed: str,
    user: Any,
    next_review: dt.date | None = None,
    request: Any = None,
    ground: str = Ground.INVOLVEMENT,
) -> Review:
    """Record a review: what changed; the next review six months on unless set earlier."""
    errors: dict[str, str] = {}
    if not (what_changed or "").strip():
        errors["what_changed"] = _("Write what changed since the plan was made or last reviewed.")
    _past_or_today(errors, "held_on", held_on)
    if next_review is not None and next_review <= held_on:
        errors["next_review"] = _("The next review comes after this one. Choose a later date.")
    _in_range(errors, "next_review", next_review, validators.PLANNED)
    if errors:
        raise ValidationError(errors)
    next_review = next_review or _months_later(held_on, DEFAULT_REVIEW_MONTHS)
    review = Review.objects.create(
        plan=plan,
        held_on=held_on,
        what_changed=what_changed.strip(),
        next_review=next_review,
        by=user,
    )
    plan.review_date = next_review
    plan.save(update_fields=["review_date", "updated_at"])
    _plan_changed(
        plan,
        obj=review,
        user=user,
        request=request,
        ground=ground,
        change="reviewed",
    )
    return review


@transaction.atomic
def plan_close(
    *,
    plan: Plan,
    reason: str,
    reached: str,
    user: Any,
    aftercare_on: dt.date | None = None,
    request: Any = None,
    ground: str = Ground.INVOLVEMENT,
) -> Plan:
    """Close the file: the reason, what was reached, and an aftercare check to come."""
    errors: dict[str, str] = {}
    if plan.closed_on is not None:
        errors["reason"] = _("This file is closed already.")
    if reason not in ClosureReason.values:
        errors["reason"] = _("Choose why the file closes.")
    if not (reached or "").strip():
        errors["reached"] = _("Write in a sentence or two what was reached.")
    today = timezone.localdate()
    if aftercare_on is not None and aftercare_on <= today:
        errors["aftercare_on"] = _("The aftercare check lies in the future. Choose a later date.")
    _in_range(errors, "aftercare_on", aftercare_on, validators.PLANNED)
    if errors:
        raise ValidationError(errors)
    plan.closed_on = today
    plan.closure_reason = reason
    plan.reached = reached.strip()
    plan.aftercare_on = aftercare_on or _months_later(today, DEFAULT_AFTERCARE_MONTHS)
    plan.aftercare_done_on = None
    plan.save()
    _plan_changed(
        plan,
        obj=plan,
        user=user,
        request=request,
        ground=ground,
        change="closed",
        reason=reason,
    )
    return plan


@transaction.atomic
def plan_reopen(
    *, plan: Plan, user: Any, request: Any = None, ground: str = Ground.INVOLVEMENT
) -> Plan:
    """Reopen a closed file; its history stays."""
    if plan.closed_on is None:
        raise ValidationError(_("This file is open already."))
    plan.closed_on = None
    plan.aftercare_on = None
    plan.save(update_fields=["closed_on", "aftercare_on", "updated_at"])
    _plan_changed(
        plan,
        obj=plan,
        user=user,
        request=request,
        ground=ground,
        change="reopened",
    )
    return plan


@transaction.atomic
def aftercare_done(
    *, plan: Plan, note: str, user: Any, request: Any = None, ground: str = Ground.INVOLVEMENT
) -> Plan:
    """Record the aftercare check: how it is going now."""
    if plan.closed_on is None or plan.aftercare_on is None:
        raise ValidationError(_("Aftercare follows a closed file; this file is open."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Write in a sentence how it is going.")})
    plan.aftercare_done_on = timezone.localdate()
    plan.aftercare_note = note.strip()
    plan.save(update_fields=["aftercare_done_on", "aftercare_note", "updated_at"])
    _plan_changed(
        plan,
        obj=plan,
        user=user,
        request=request,
        ground=ground,
        change="aftercare done",
        bump=False,
    )
    return plan


@transaction.atomic
def conversation_record(
    *,
    household: Household,
    held_on: dt.date,
    what_matters: str,
    user: Any,
    domains: list[str],
    with_whom: str = "",
    wants: str = "",
    tried: str = "",
    helpers: str = "",
    decided: str = "",
    request: Any = None,
    ground: str = Ground.INVOLVEMENT,
) -> Conversation:
    """Record a kitchen-table conversation in the resident's words."""
    errors: dict[str, str] = {}
    if not (what_matters or "").strip():
        errors["what_matters"] = _("Write what matters to the resident, in their words.")
    _past_or_today(errors, "held_on", held_on)
    if any(d not in LifeDomain.values for d in domains):
        errors["domains"] = _("Choose life domains from the list.")
    if errors:
        raise ValidationError(errors)
    conversation = Conversation.objects.create(
        household=household,
        held_on=held_on,
        by=user,
        with_whom=with_whom.strip(),
        what_matters=what_matters.strip(),
        wants=wants.strip(),
        tried=tried.strip(),
        helpers=helpers.strip(),
        domains=list(dict.fromkeys(domains)),
        decided=decided.strip(),
    )
    _log(
        action=AuditAction.CREATE,
        user=user,
        household=household,
        obj=conversation,
        request=request,
        ground=ground,
    )
    return conversation
