"""The route of an initiative: where it stands, support, the budget and the decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core import validators
from buurtkracht.core.versioning import version_claim
from buurtkracht.initiatives.models import (
    Budget,
    Decider,
    Decision,
    Initiative,
    RouteStep,
    Support,
)

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

# --- the route ------------------------------------------------------------------------


def current_step(initiative: Initiative) -> RouteStep | None:
    """The first step of the route that has not said yes yet (its latest decision)."""
    if initiative.budget is None:
        return None
    latest: dict[Any, str] = {}
    for decision in initiative.decisions.order_by("decided_at"):
        latest[decision.step_id] = decision.outcome
    for step in initiative.steps():
        if latest.get(step.pk) != Decision.Outcome.APPROVE:
            return step
    return None


@dataclass
class NextStep:
    who: str
    what: str


def next_step(initiative: Initiative) -> NextStep | None:
    """Who takes the next step and what it is, in words for the initiators."""
    status = initiative.status
    s = Initiative.Status
    if status == s.SUBMITTED:
        return NextStep(
            _("the community worker"),
            _("looks at your proposal, contacts you and starts the assessment."),
        )
    if status == s.IN_ASSESSMENT:
        step = current_step(initiative)
        if step is None:
            return NextStep(_("the community worker"), _("records the last decision."))
        checks = ", ".join(step.check_labels())
        what = (
            _("decides on your proposal: %(checks)s.") % {"checks": checks}
            if checks
            else _("decides on your proposal.")
        )
        return NextStep(step.who, what)
    if status == s.CHANGES_REQUESTED:
        return NextStep(_("you"), _("change your proposal and send it again."))
    if status == s.APPROVED:
        return NextStep(_("the community worker"), _("arranges the money with the funders."))
    if status == s.RUNNING:
        return NextStep(_("you"), _("carry out your initiative and tell afterwards how it went."))
    return None


def _staff(user: User, *roles: str) -> None:
    if user is None or not any(user.has_role(role) for role in roles):
        raise PermissionDenied


@transaction.atomic
def support_record(
    *,
    initiative: Initiative,
    date: dt.date,
    what: str,
    user: User,
    request: HttpRequest | None = None,
) -> Support:
    """A community worker records how they supported the initiators."""
    _staff(user, Role.COMMUNITY_WORKER)
    errors: dict[str, str] = {}
    if not what.strip():
        errors["what"] = _("Say in a line what you did.")
    if date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    elif message := validators.HAPPENED.error(date):
        errors["date"] = message
    if errors:
        raise ValidationError(errors)
    support = Support.objects.create(initiative=initiative, date=date, what=what.strip(), by=user)
    audit_record(
        action=AuditAction.CREATE, user=user, request=request, obj=support, ground=Ground.ROLE
    )
    return support


@transaction.atomic
def budget_assign(
    *, initiative: Initiative, budget: Budget, user: User, request: HttpRequest | None = None
) -> Initiative:
    """Link the budget and start the assessment along its route."""
    _staff(user, Role.COMMUNITY_WORKER)
    if initiative.status not in (Initiative.Status.SUBMITTED, Initiative.Status.IN_ASSESSMENT):
        raise ValidationError({"budget": _("The budget can only be chosen before any decision.")})
    if initiative.decisions.exists() and budget != initiative.budget:
        raise ValidationError({"budget": _("The budget can only be chosen before any decision.")})
    hood = initiative.neighbourhood
    if budget.area_id not in (hood.pk, hood.parent_id):
        raise ValidationError(
            {"budget": _("This budget is not for the initiative's neighbourhood.")}
        )
    if not budget.steps_for(initiative.cost):
        raise ValidationError(
            {"budget": _("This budget has no route for this amount. Ask the administrator.")}
        )
    initiative.budget = budget
    initiative.status = Initiative.Status.IN_ASSESSMENT
    version_claim(initiative, None)
    initiative.save(update_fields=["budget", "status", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        obj=initiative,
        ground=Ground.ROLE,
        details={"budget": str(budget.pk), "status": initiative.status},
    )
    return initiative


def may_decide(user: User, step: RouteStep) -> bool:
    """Community workers record every decision (for a jury or platform on its behalf);
    a policy advisor records the decision of an official."""
    if user is None:
        return False
    if user.has_role(Role.COMMUNITY_WORKER):
        return True
    return bool(user.has_role(Role.POLICY_ADVISOR) and step.decider == Decider.OFFICIAL)


@transaction.atomic
def decision_record(
    *,
    initiative: Initiative,
    outcome: str,
    reason: str,
    decided_as: str = "",
    reference: str = "",
    user: User,
    request: HttpRequest | None = None,
) -> Decision:
    """Record the decision of the current step. A reason is always required: the
    initiators read it. Yes on the last step approves the initiative."""
    step = current_step(initiative)
    if initiative.status != Initiative.Status.IN_ASSESSMENT or step is None:
        raise ValidationError(_("There is no step waiting for a decision."))
    if not may_decide(user, step):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = _("Choose the decision.")
    if not reason.strip():
        errors["reason"] = _("Write why. The initiators read this.")
    if step.decider == Decider.VOTE and not reference.strip():
        errors["reference"] = _("Name the voting round and its result.")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        initiative=initiative,
        step=step,
        outcome=outcome,
        reason=reason.strip(),
        decided_as=decided_as.strip() or step.who,
        reference=reference.strip(),
        recorded_by=user,
    )
    if outcome == Decision.Outcome.REJECT:
        initiative.status = Initiative.Status.REJECTED
    elif outcome == Decision.Outcome.CHANGES:
        initiative.status = Initiative.Status.CHANGES_REQUESTED
    elif current_step(initiative) is None:
        initiative.status = Initiative.Status.APPROVED
        initiative.approved_amount = initiative.cost
    version_claim(initiative, None)
    initiative.save(update_fields=["status", "approved_amount", "updated_at"])
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        request=request,
        obj=decision,
        ground=Ground.ROLE,
        details={"initiative": str(initiative.pk), "outcome": outcome, "status": initiative.status},
    )
    return decision
