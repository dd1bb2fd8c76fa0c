"""Reviews and closure: reviewing the plan, closing and reopening it, aftercare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import (
    ClosureReason,
    Plan,
    Review,
)
from buurtkracht.casework.services.goals import (
    GoalAtReview,
    goals_at_review_apply,
    goals_at_review_check,
)
from buurtkracht.casework.services.plans import (
    DEFAULT_REVIEW_MONTHS,
    _in_range,
    _months_later,
    _past_or_today,
    _plan_changed,
)
from buurtkracht.core import validators

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

DEFAULT_AFTERCARE_MONTHS = 3


@transaction.atomic
def plan_review(
    *,
    plan: Plan,
    held_on: dt.date,
    what_changed: str,
    user: User,
    next_review: dt.date | None = None,
    goals: Sequence[GoalAtReview] = (),
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Review:
    """Record a review: what changed, and goal by goal whether it keeps going or closes
    (reached, partly reached or stopped, in the resident's words, on the day of the
    review); the next review six months on unless set earlier."""
    errors: dict[str, str] = {}
    if plan.closed_on is not None:
        raise ValidationError(_("The file is closed. Reopen the file first to review it."))
    if not (what_changed or "").strip():
        errors["what_changed"] = _("Write what changed since the plan was made or last reviewed.")
    _past_or_today(errors, "held_on", held_on)
    if next_review is not None and next_review <= held_on:
        errors["next_review"] = _("The next review comes after this one. Choose a later date.")
    _in_range(errors, "next_review", next_review, validators.PLANNED)
    errors.update(goals_at_review_check(list(goals), None if "held_on" in errors else held_on))
    if errors:
        raise ValidationError(errors)
    next_review = next_review or _months_later(held_on, DEFAULT_REVIEW_MONTHS)
    review = Review.objects.create(
        plan=plan,
        held_on=held_on,
        what_changed=what_changed.strip(),
        next_review=next_review,
        goals=goals_at_review_apply(list(goals), held_on),
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
        expected_version=expected_version,
        goals={item["goal"]: item["state"] for item in review.goals},
    )
    return review


@transaction.atomic
def plan_close(
    *,
    plan: Plan,
    reason: str,
    reached: str,
    user: User,
    aftercare_on: dt.date | None = None,
    request: HttpRequest | None = None,
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
    *, plan: Plan, user: User, request: HttpRequest | None = None, ground: str = Ground.INVOLVEMENT
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
    *,
    plan: Plan,
    note: str,
    user: User,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
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
