"""Co-writing the plan (issue 19, item 2): the resident proposes, the worker decides.

A resident on their own file (ground own data) proposes a goal in their own words, a
change to a goal's words, comments on an action or marks an action of step 1 (own
strength: what the household does itself) as done. Each is a `PlanProposal`, kept as
written, and nothing in the plan changes until a worker who may write the plan accepts
it; then the plan's own services apply it (a new goal with the resident's text
unchanged, the goal's words through the versioned edit, the action marked done). A
worker may instead answer that they want to talk about it; the resident reads the
answer. A proposal is decided once: a second decision is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import Action, Goal, LifeDomain, Plan, PlanProposal, Step
from buurtkracht.casework.services.goals import goal_edit
from buurtkracht.casework.services.plans import (
    _log,
    action_set_status,
    goal_add,
    plan_get_or_create,
)
from buurtkracht.households.models import Household
from buurtkracht.households.queries import lead_workers
from buurtkracht.households.visibility import can_write
from buurtkracht.notifications.kinds import Kind as NotificationKind
from buurtkracht.notifications.services import notify

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

Kind = PlanProposal.Kind

# The steps whose actions the resident may mark done themselves: own strength.
RESIDENT_DONE_STEPS = frozenset({Step.OWN_STRENGTH})


def _check_open(household: Household) -> Plan | None:
    plan = Plan.objects.filter(household=household).first()
    if plan is not None and plan.closed_on is not None:
        raise ValidationError(_("Your file is closed. Ask your worker if you want to add to it."))
    return plan


@transaction.atomic
def proposal_make(
    *,
    household: Household,
    kind: str,
    user: User,
    ground: str,
    text: str = "",
    domains: list[str] | None = None,
    goal: Goal | None = None,
    action: Action | None = None,
    request: HttpRequest | None = None,
) -> PlanProposal:
    """Keep what a resident wrote for their plan; nothing in the plan changes yet.
    Refused (ValidationError) for anyone but a resident on their own file."""
    if ground != Ground.OWN_DATA:
        raise ValidationError(_("Only the resident proposes changes to their own plan here."))
    plan = _check_open(household)
    text = (text or "").strip()
    domains = [d for d in dict.fromkeys(domains or []) if d in LifeDomain.values]
    if kind in (Kind.NEW_GOAL, Kind.GOAL_CHANGE, Kind.ACTION_COMMENT) and not text:
        raise ValidationError({"text": _("Write it in your own words.")})
    if kind == Kind.GOAL_CHANGE:
        if goal is None or plan is None or goal.plan_id != plan.pk or goal.is_closed:
            raise ValidationError(_("This goal cannot be changed any more."))
        if text == goal.text:
            raise ValidationError({"text": _("Write how you want the goal to read.")})
    elif kind in (Kind.ACTION_COMMENT, Kind.ACTION_DONE):
        if action is None or plan is None or action.goal.plan_id != plan.pk:
            raise ValidationError(_("This action is not in your plan."))
        if kind == Kind.ACTION_DONE and (
            action.step not in RESIDENT_DONE_STEPS or action.status != Action.Status.TO_DO
        ):
            raise ValidationError(
                _("You can mark an action done yourself when it is one you do yourself.")
            )
        goal = None
    elif kind != Kind.NEW_GOAL:
        raise ValidationError(_("Choose what you want to propose."))
    proposal = PlanProposal.objects.create(
        household=household,
        kind=kind,
        goal=goal if kind == Kind.GOAL_CHANGE else None,
        action=action if kind in (Kind.ACTION_COMMENT, Kind.ACTION_DONE) else None,
        text=text,
        domains=domains if kind == Kind.NEW_GOAL else [],
        by=user,
        at=timezone.now(),
    )
    _log(
        action=AuditAction.CREATE,
        user=user,
        household=household,
        obj=proposal,
        request=request,
        ground=ground,
        change=f"proposal {kind}",
    )
    notify(
        recipients=lead_workers(household.pk),
        kind=NotificationKind.PLAN_PROPOSAL,
        link=reverse("casework:plan", args=[household.pk]) + "#proposals-heading",
        key=f"plan-proposal:{proposal.pk}",
        text=gettext_lazy("A resident wrote something in their plan. It waits for you."),
        actor=user,
    )
    return proposal


def _decide(proposal: PlanProposal, *, state: str, answer: str, user: User) -> None:
    """Claim the decision: only a waiting proposal, and only once (also when two workers
    decide at the same moment: the update is conditional in SQL)."""
    now = timezone.now()
    claimed = PlanProposal.objects.filter(pk=proposal.pk, state=PlanProposal.State.WAITING).update(
        state=state, answer=answer, decided_by=user, decided_at=now
    )
    if not claimed:
        raise ValidationError(_("Someone already answered this proposal."))
    proposal.state, proposal.answer = state, answer
    proposal.decided_by, proposal.decided_at = user, now


def _check_writer(ground: str) -> None:
    if not can_write(ground):
        raise ValidationError(_("Only a worker who may change this plan can answer."))


@transaction.atomic
def proposal_accept(
    *,
    proposal: PlanProposal,
    user: User,
    ground: str,
    domains: list[str] | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> PlanProposal:
    """Apply the proposal through the plan's services, with the resident's words as they
    wrote them. A new goal the resident tied to no life domain takes the `domains` the
    worker chooses. A comment is accepted as read: it stays with the action."""
    _check_writer(ground)
    _decide(proposal, state=PlanProposal.State.ACCEPTED, answer="", user=user)
    common: dict[str, Any] = {"user": user, "request": request, "ground": ground}
    if proposal.kind == Kind.NEW_GOAL:
        plan = plan_get_or_create(household=proposal.household, **common)
        if plan.closed_on is not None:
            raise ValidationError(
                _("The file is closed. Reopen the file first to change its plan.")
            )
        goal = goal_add(
            plan=plan,
            text=proposal.text,
            domains=proposal.domains or list(domains or []),
            expected_version=expected_version,
            **common,
        )
        proposal.result_goal = goal
        proposal.save(update_fields=["result_goal"])
    elif proposal.kind == Kind.GOAL_CHANGE:
        assert proposal.goal is not None
        goal_edit(
            goal=proposal.goal,
            text=proposal.text,
            domains=proposal.goal.domains,
            expected_version=expected_version,
            **common,
        )
    elif proposal.kind == Kind.ACTION_DONE:
        assert proposal.action is not None
        if proposal.action.status == Action.Status.TO_DO:
            action_set_status(
                action=proposal.action,
                status=Action.Status.DONE,
                expected_version=expected_version,
                **common,
            )
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=proposal.household,
        obj=proposal,
        request=request,
        ground=ground,
        change="proposal accepted",
        kind=proposal.kind,
    )
    return proposal


@transaction.atomic
def proposal_discuss(
    *,
    proposal: PlanProposal,
    answer: str,
    user: User,
    ground: str,
    request: HttpRequest | None = None,
) -> PlanProposal:
    """Answer "let's talk about it", with a short note the resident reads. The plan does
    not change; the proposal and the resident's words stay."""
    _check_writer(ground)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write a short note for the resident.")})
    _decide(proposal, state=PlanProposal.State.DISCUSS, answer=answer, user=user)
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=proposal.household,
        obj=proposal,
        request=request,
        ground=ground,
        change="proposal to discuss",
        kind=proposal.kind,
    )
    return proposal
