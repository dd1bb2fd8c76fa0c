"""A goal's and an action's whole life after they were added: edited, reassigned, closed
(a goal reached, partly reached or stopped, in the resident's words; an action done, not
done or no longer needed) and a goal reopened when it was closed by mistake.

Every change goes through the plan's version (`_plan_changed`): a page opened before
someone else's change is refused and keeps what was typed (decision 0008), and every
change is an audit event on the household's residents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import GOAL_CLOSED_STATES, Action, Goal
from buurtkracht.casework.services.plans import (
    _past_or_today,
    _plan_changed,
    action_fields_check,
    goal_check,
)
from buurtkracht.network.models import Tie

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


def _refuse_on_closed_file(goal: Goal) -> None:
    if goal.plan.closed_on is not None:
        raise ValidationError(_("The file is closed. Reopen the file first to change its plan."))


@transaction.atomic
def goal_edit(
    *,
    goal: Goal,
    text: str,
    domains: list[str],
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Goal:
    """Change a goal's words or life domains (with the resident: they are their words)."""
    _refuse_on_closed_file(goal)
    text = goal_check(text, domains)
    changed = [
        name
        for name, old, new in (
            ("text", goal.text, text),
            ("domains", goal.domains, list(dict.fromkeys(domains))),
        )
        if old != new
    ]
    goal.text = text
    goal.domains = list(dict.fromkeys(domains))
    goal.save(update_fields=["text", "domains"])
    _plan_changed(
        goal.plan,
        obj=goal,
        user=user,
        request=request,
        ground=ground,
        change="goal edited",
        expected_version=expected_version,
        fields=changed,
    )
    return goal


def goal_close_check(
    goal: Goal, status: str, words: str, closed_on: dt.date | None, prefix: str = ""
) -> dict[str, str]:
    """What closing a goal needs, as errors by field (`prefix` + status, words, closed_on):
    one of the three states, the resident's words about it, and the day: not in the
    future and not before the goal was set."""
    errors: dict[str, str] = {}
    if goal.is_closed:
        errors[f"{prefix}status"] = _(
            "This goal is closed already. Reopen it first if it was closed by mistake."
        )
    elif status not in GOAL_CLOSED_STATES:
        errors[f"{prefix}status"] = _("Choose reached, partly reached or stopped.")
    if not (words or "").strip():
        errors[f"{prefix}words"] = _(
            "Write in the resident's own words how it went with this goal."
        )
    if closed_on is None:
        errors[f"{prefix}closed_on"] = _("Fill in the day, for example 22-11-2026.")
    else:
        _past_or_today(errors, f"{prefix}closed_on", closed_on)
        set_on = timezone.localdate(goal.created_at)
        if f"{prefix}closed_on" not in errors and closed_on < set_on:
            errors[f"{prefix}closed_on"] = _(
                "The goal was set on %(date)s; it cannot close before then. Fill in that "
                "day or a later one."
            ) % {"date": formats.date_format(set_on, "d-m-Y")}
    return errors


def _close(goal: Goal, status: str, words: str, closed_on: dt.date) -> None:
    goal.status = status
    goal.closing_words = words.strip()
    goal.closed_on = closed_on
    goal.save(update_fields=["status", "closing_words", "closed_on"])


@transaction.atomic
def goal_close(
    *,
    goal: Goal,
    status: str,
    words: str,
    closed_on: dt.date | None,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Goal:
    """Close a goal: reached, partly reached or stopped, on a day, in the resident's words."""
    _refuse_on_closed_file(goal)
    if errors := goal_close_check(goal, status, words, closed_on):
        raise ValidationError(errors)
    assert closed_on is not None
    _close(goal, status, words, closed_on)
    _plan_changed(
        goal.plan,
        obj=goal,
        user=user,
        request=request,
        ground=ground,
        change=f"goal {status}",
        expected_version=expected_version,
        closed_on=closed_on.isoformat(),
    )
    return goal


@transaction.atomic
def goal_reopen(
    *,
    goal: Goal,
    reason: str,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Goal:
    """Reopen a goal closed by mistake. The reason, and what the goal said when it was
    closed, stay in the audit log."""
    _refuse_on_closed_file(goal)
    errors: dict[str, str] = {}
    if not goal.is_closed:
        errors["reason"] = _("This goal is open already.")
    elif not (reason or "").strip():
        errors["reason"] = _(
            "Write why the goal is reopened, for example that it was closed by mistake."
        )
    if errors:
        raise ValidationError(errors)
    previous_status, previous_on, previous_words = (
        goal.status,
        goal.closed_on.isoformat() if goal.closed_on else "",
        goal.closing_words,
    )
    goal.status = Goal.Status.OPEN
    goal.closing_words = ""
    goal.closed_on = None
    goal.save(update_fields=["status", "closing_words", "closed_on"])
    _plan_changed(
        goal.plan,
        obj=goal,
        user=user,
        request=request,
        ground=ground,
        change="goal reopened",
        expected_version=expected_version,
        reason=reason.strip(),
        previous=previous_status,
        previous_closed_on=previous_on,
        previous_words=previous_words,
    )
    return goal


def _linked_name(action: Action) -> str:
    if action.owner_tie is not None:
        return action.owner_tie.name
    if action.owner_worker is not None:
        return action.owner_worker.get_full_name() or action.owner_worker.username
    return ""


@transaction.atomic
def action_edit(
    *,
    action: Action,
    description: str,
    owner: str,
    step: int,
    user: User,
    due_date: dt.date | None = None,
    owner_tie: Tie | None = None,
    owner_worker: User | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Action:
    """Change what an action is, when it is due, its step, or who does it (reassigning:
    the resident, someone from the network map, a worker involved, an organisation)."""
    _refuse_on_closed_file(action.goal)
    owner = action_fields_check(
        household_id=action.goal.plan.household_id,
        description=description,
        owner=owner,
        step=step,
        due_date=due_date,
        owner_tie=owner_tie,
        owner_worker=owner_worker,
        # The person chosen changed: the name written before gives way to theirs.
        replaceable=frozenset({_linked_name(action), action.owner} - {""})
        if (owner_tie, owner_worker) != (action.owner_tie, action.owner_worker)
        else frozenset({_linked_name(action)} - {""}),
    )
    before = (action.description, action.owner, action.step, action.due_date)
    reassigned = (action.owner, action.owner_tie_id, action.owner_worker_id) != (
        owner,
        owner_tie.pk if owner_tie else None,
        owner_worker.pk if owner_worker else None,
    )
    action.description = description.strip()
    action.owner = owner
    action.step = step
    action.due_date = due_date
    action.owner_tie = owner_tie
    action.owner_worker = owner_worker
    action.save(
        update_fields=["description", "owner", "step", "due_date", "owner_tie", "owner_worker"]
    )
    after = (action.description, action.owner, action.step, action.due_date)
    names = ("description", "owner", "step", "due_date")
    _plan_changed(
        action.goal.plan,
        obj=action,
        user=user,
        request=request,
        ground=ground,
        change="action reassigned" if reassigned else "action edited",
        expected_version=expected_version,
        fields=[n for n, old, new in zip(names, before, after, strict=True) if old != new],
        step=step,
    )
    return action


@dataclass(frozen=True)
class GoalAtReview:
    """One goal's part in a review: keep going ("open") or close it, and the resident's
    words about how it goes."""

    goal: Goal
    state: str
    words: str = ""


def goals_at_review_check(items: list[GoalAtReview], held_on: dt.date | None) -> dict[str, str]:
    """Errors for the goals walked through at a review, by field `goal<pk>_state` /
    `goal<pk>_words`; a goal closed at the review closes on the day of the review."""
    errors: dict[str, str] = {}
    for item in items:
        prefix = f"goal{item.goal.pk}_"
        if item.state == Goal.Status.OPEN:
            if item.goal.is_closed:
                errors[f"{prefix}state"] = _(
                    "Someone closed this goal meanwhile. Check the plan as it is now."
                )
            continue
        if held_on is None:
            continue  # the review's own date is wrong: that message comes first
        for name, message in goal_close_check(
            item.goal, item.state, item.words, held_on, prefix
        ).items():
            # The day is the review's: its error is on the review date already.
            if not name.endswith("closed_on"):
                errors[name.replace("status", "state")] = message
    return errors


def goals_at_review_apply(items: list[GoalAtReview], held_on: dt.date) -> list[dict[str, str]]:
    """Close the goals that closed at the review; what the review keeps of each goal."""
    kept = []
    for item in items:
        if item.state != Goal.Status.OPEN:
            _close(item.goal, item.state, item.words, held_on)
        kept.append(
            {
                "goal": str(item.goal.pk),
                "text": item.goal.text,
                "state": item.state,
                "words": (item.words or "").strip(),
            }
        )
    return kept
