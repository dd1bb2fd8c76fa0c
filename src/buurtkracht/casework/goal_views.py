"""One goal's page and one action's page: edit, reassign, close, reopen. Each form carries
the plan's version, so two editors never overwrite each other silently; resident data only
through the guard, and only for those who may change the file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.casework.forms import (
    ActionEditForm,
    ActionStatusForm,
    GoalCloseForm,
    GoalForm,
    GoalReopenForm,
)
from buurtkracht.casework.models import Action, Goal
from buurtkracht.casework.queries import involved_workers
from buurtkracht.casework.services import (
    action_edit,
    action_set_status,
    goal_close,
    goal_edit,
    goal_reopen,
)
from buurtkracht.casework.views import tie_of, worker_of
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household
from buurtkracht.households.visibility import can_write
from buurtkracht.network.queries import owner_choices


def _writable(request: AuthenticatedRequest, pk: int, page: str) -> tuple[Household, str]:
    household, ground = household_for_request(request, pk, details={"page": page})
    if not can_write(ground):
        raise Http404
    return household, ground


GOAL_FORMS: dict[str, type[Any]] = {
    "edit": GoalForm,
    "close": GoalCloseForm,
    "reopen": GoalReopenForm,
}


@require_http_methods(["GET", "POST"])
@audited
def goal_page(request: AuthenticatedRequest, pk: int, goal_pk: int) -> HttpResponse:
    """Change a goal's words, close it (reached, partly, stopped) or reopen it."""
    household, ground = _writable(request, pk, "goal")
    goal = get_object_or_404(
        Goal.objects.select_related("plan"), pk=goal_pk, plan__household=household
    )
    if goal.plan.closed_on is not None:
        raise Http404  # a closed file is read-only until it is reopened
    version = goal.plan.version
    failed: tuple[str, Any] | None = None
    if request.method == "POST":
        what = request.POST.get("what", "")
        if what not in GOAL_FORMS:
            raise Http404
        form = GOAL_FORMS[what](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            common: dict[str, Any] = {
                "goal": goal,
                "user": request.user,
                "request": request,
                "ground": ground,
                "expected_version": data["version"],
            }
            try:
                if what == "edit":
                    goal_edit(text=data["text"], domains=data["domains"], **common)
                    message = _("Goal changed.")
                elif what == "close":
                    goal_close(
                        status=data["status"],
                        words=data["words"],
                        closed_on=data["closed_on"],
                        **common,
                    )
                    message = _("Goal closed: %(status)s.") % {"status": goal.get_status_display()}
                else:
                    goal_reopen(reason=data["reason"], **common)
                    message = _("Goal reopened.")
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, message)
                return redirect("casework:plan", pk=household.pk)
        failed = (what, form)

    def form_for(what: str, default: Any) -> Any:
        return failed[1] if failed and failed[0] == what else default

    return render(
        request,
        "casework/goal.html",
        {
            "household": household,
            "goal": goal,
            "actions": list(goal.actions.all()),
            "edit_form": form_for(
                "edit",
                GoalForm(initial={"version": version, "text": goal.text, "domains": goal.domains}),
            ),
            "close_form": form_for(
                "close",
                GoalCloseForm(initial={"version": version, "closed_on": timezone.localdate()}),
            ),
            "reopen_form": form_for("reopen", GoalReopenForm(initial={"version": version})),
        },
        status=400 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
@audited
def action_page(request: AuthenticatedRequest, pk: int, action_pk: int) -> HttpResponse:
    """Change an action, give it to someone else, or say how it ended."""
    household, ground = _writable(request, pk, "action")
    action = get_object_or_404(
        Action.objects.select_related("goal__plan", "owner_tie", "owner_worker"),
        pk=action_pk,
        goal__plan__household=household,
    )
    if action.goal.plan.closed_on is not None:
        raise Http404
    version = action.goal.plan.version
    choices = {
        "owner_ties": owner_choices(household),
        "owner_workers": involved_workers(household),
    }
    failed: tuple[str, Any] | None = None
    if request.method == "POST":
        what = request.POST.get("what", "")
        common: dict[str, Any] = {
            "action": action,
            "user": request.user,
            "request": request,
            "ground": ground,
        }
        form: Any
        if what == "edit":
            form = ActionEditForm(request.POST, **choices)
        elif what == "status":
            form = ActionStatusForm(request.POST)
        else:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if what == "edit":
                    action_edit(
                        description=data["description"],
                        owner=data["owner"],
                        owner_tie=tie_of(data, household),
                        owner_worker=worker_of(data),
                        step=data["step"],
                        due_date=data["due_date"],
                        expected_version=data["version"],
                        **common,
                    )
                    message = _("Action changed.")
                else:
                    action_set_status(
                        status=data["status"], expected_version=data["version"], **common
                    )
                    message = _("Action marked: %(status)s.") % {
                        "status": action.get_status_display()
                    }
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, message)
                return redirect("casework:plan", pk=household.pk)
        failed = (what, form)

    def form_for(what: str, default: Any) -> Any:
        return failed[1] if failed and failed[0] == what else default

    edit_initial = {
        "version": version,
        "description": action.description,
        "owner": action.owner,
        "owner_tie": action.owner_tie_id,
        "owner_worker": action.owner_worker_id,
        "step": action.step,
        "due_date": action.due_date,
    }
    return render(
        request,
        "casework/action.html",
        {
            "household": household,
            "action": action,
            "edit_form": form_for("edit", ActionEditForm(initial=edit_initial, **choices)),
            "status_form": form_for(
                "status",
                ActionStatusForm(initial={"version": version, "status": action.status}),
            ),
        },
        status=400 if failed else 200,
    )
