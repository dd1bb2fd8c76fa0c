"""The plan page's co-writing part (services/proposals.py): the resident's proposals
posted from their own plan page, the worker's answers, and what the page shows of them.
The plan page (views.plan_page) reaches the household through the guard and calls in
here; a resident posts only on the own-data ground, a worker answers only on a ground
that may write the plan (otherwise 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import Action, Goal, PlanProposal
from buurtkracht.casework.proposal_forms import (
    CommentForm,
    DecideForm,
    DoneForm,
    ProposeChangeForm,
    ProposeGoalForm,
)
from buurtkracht.casework.queries import PlanOverview, plan_proposals
from buurtkracht.casework.services.proposals import (
    RESIDENT_DONE_STEPS,
    proposal_accept,
    proposal_discuss,
    proposal_make,
)
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.models import Household
from buurtkracht.households.visibility import can_write

Kind = PlanProposal.Kind

RESIDENT_FORMS: dict[str, tuple[type[Any], str]] = {
    "propose-goal": (ProposeGoalForm, Kind.NEW_GOAL),
    "propose-change": (ProposeChangeForm, Kind.GOAL_CHANGE),
    "comment": (CommentForm, Kind.ACTION_COMMENT),
    "done": (DoneForm, Kind.ACTION_DONE),
}
POSTS = frozenset({*RESIDENT_FORMS, "decide"})


def _sent() -> str:
    return _("Thank you. Your worker reads it and answers you here.")


def _resident_post(
    request: AuthenticatedRequest, household: Household, ground: str, what: str
) -> tuple[HttpResponse | None, Any]:
    if ground != Ground.OWN_DATA:
        raise Http404
    form_class, kind = RESIDENT_FORMS[what]
    form = form_class(request.POST, auto_id=_auto_id(what, request.POST))
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    goal = (
        get_object_or_404(Goal, pk=data["goal"], plan__household=household)
        if "goal" in data
        else None
    )
    action = (
        get_object_or_404(
            Action.objects.select_related("goal"),
            pk=data["action"],
            goal__plan__household=household,
        )
        if "action" in data
        else None
    )
    try:
        proposal_make(
            household=household,
            kind=kind,
            user=request.user,
            ground=ground,
            text=data.get("text", ""),
            domains=data.get("domains", []),
            goal=goal,
            action=action,
            request=request,
        )
    except ValidationError as error:
        errors_to_form(form, error)
        return None, form
    messages.success(request, _sent())
    return redirect("casework:plan", pk=household.pk), form


def _decide_post(
    request: AuthenticatedRequest, household: Household, ground: str
) -> tuple[HttpResponse | None, Any]:
    if not can_write(ground):
        raise Http404
    form = DecideForm(request.POST, auto_id=_auto_id("decide", request.POST))
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    proposal = get_object_or_404(
        PlanProposal.objects.select_related("household", "goal__plan", "action__goal__plan"),
        pk=data["proposal"],
        household=household,
    )
    try:
        if data["decision"] == "accept":
            proposal_accept(
                proposal=proposal,
                user=request.user,
                ground=ground,
                domains=data["domains"],
                expected_version=data["version"] or None,
                request=request,
            )
            messages.success(request, _("Accepted: the plan now says what the resident wrote."))
        else:
            proposal_discuss(
                proposal=proposal,
                answer=data["answer"],
                user=request.user,
                ground=ground,
                request=request,
            )
            messages.success(request, _("Your note is with the proposal; the resident reads it."))
    except ValidationError as error:
        errors_to_form(form, error)
        return None, form
    return redirect("casework:plan", pk=household.pk), form


def proposal_post(
    request: AuthenticatedRequest, household: Household, ground: str, what: str
) -> tuple[HttpResponse | None, Any]:
    """Carry out one posted proposal or answer: the redirect when it worked, else the
    form with its errors and what was typed."""
    if what == "decide":
        return _decide_post(request, household, ground)
    return _resident_post(request, household, ground, what)


def _auto_id(what: str, data: Any) -> str:
    """Ids unique on a page with one such form per goal, action or proposal."""
    key = data.get("goal") or data.get("action") or data.get("proposal") or ""
    suffix = data.get("decision", "") if what == "decide" else ""
    return f"id_{what}{key}{suffix}_%s"


def proposal_context(
    household: Household,
    ground: str,
    overview: PlanOverview,
    failed: tuple[str, Any] | None,
    version: int,
) -> dict[str, Any]:
    """What the plan page shows of co-writing: for the resident, a form per goal and per
    action and what they proposed with its answer; for a worker who may write the plan,
    the waiting proposals with their answer forms. The comments show with their action."""
    proposals = plan_proposals(household)
    own = ground == Ground.OWN_DATA
    closed = bool(overview.plan and overview.plan.closed_on)

    def form_for(what: str, form_class: type[Any], key: str, **initial: Any) -> Any:
        # The form that failed comes back with its errors and the text that was typed.
        auto_id = f"id_{what}{key}_%s"
        if failed and failed[0] == what and failed[1].auto_id == auto_id:
            return failed[1]
        return form_class(initial=initial, auto_id=auto_id)

    waiting = [p for p in proposals if p.state == PlanProposal.State.WAITING]
    waiting_done = {p.action_id for p in waiting if p.kind == Kind.ACTION_DONE}
    waiting_change = {p.goal_id for p in waiting if p.kind == Kind.GOAL_CHANGE}
    for goal in overview.goals:
        goal.change_waiting = goal.pk in waiting_change  # type: ignore[attr-defined]
        if own and not closed and not goal.is_closed:
            goal.change_form = form_for(  # type: ignore[attr-defined]
                "propose-change", ProposeChangeForm, str(goal.pk), goal=goal.pk, text=goal.text
            )
        for action in goal.actions.all():
            action.comments = [  # type: ignore[attr-defined]
                p for p in proposals if p.kind == Kind.ACTION_COMMENT and p.action_id == action.pk
            ]
            action.done_waiting = action.pk in waiting_done  # type: ignore[attr-defined]
            action.resident_may_mark = (  # type: ignore[attr-defined]
                own
                and not closed
                and action.step in RESIDENT_DONE_STEPS
                and action.status == Action.Status.TO_DO
                and action.pk not in waiting_done
            )
            if own and not closed:
                action.comment_form = form_for(  # type: ignore[attr-defined]
                    "comment", CommentForm, str(action.pk), action=action.pk
                )
    answers = []
    if can_write(ground) and not closed:
        for p in waiting:
            accept = form_for("decide", DecideForm, f"{p.pk}accept", proposal=p.pk, version=version)
            discuss = form_for("decide", DecideForm, f"{p.pk}discuss", proposal=p.pk)
            answers.append((p, accept, discuss))
    return {
        "own_view": own,
        "proposals": proposals,
        "proposals_answer": answers,
        # For the error summary at the top of the page.
        "proposal_failed": failed[1] if failed and failed[0] in POSTS else None,
        "propose_goal_form": (
            form_for("propose-goal", ProposeGoalForm, "") if own and not closed else None
        ),
    }
