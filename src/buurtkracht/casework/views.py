"""The plan page and the quick contact. Resident data only through the guard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.models import User
from buurtkracht.accounts.reauth import recent_auth_required
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.forms import (
    ActionForm,
    ActionStatusForm,
    AftercareForm,
    AgreeForm,
    CloseForm,
    ConversationForm,
    GoalForm,
    MergeForm,
    ReopenForm,
    ReviewForm,
)
from buurtkracht.casework.merge import household_merge, merge_candidates
from buurtkracht.casework.models import Action, Goal
from buurtkracht.casework.printing import plan_pdf
from buurtkracht.casework.proposal_views import POSTS, proposal_context, proposal_post
from buurtkracht.casework.queries import involved_workers, plan_overview
from buurtkracht.casework.services import (
    GoalAtReview,
    PlanChangedMeanwhile,
    action_add,
    action_set_status,
    aftercare_done,
    conversation_record,
    goal_add,
    plan_agree,
    plan_close,
    plan_get_or_create,
    plan_reopen,
    plan_review,
)
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household, Involvement
from buurtkracht.households.visibility import can_write
from buurtkracht.network.models import Tie
from buurtkracht.network.queries import owner_choices

POST_FORMS: dict[str, type[Any]] = {
    "goal": GoalForm,
    "action": ActionForm,
    "agree": AgreeForm,
    "review": ReviewForm,
    "close": CloseForm,
    "reopen": ReopenForm,
    "aftercare": AftercareForm,
}


def tie_of(data: dict[str, Any], household: Household) -> Tie | None:
    pk = data.get("owner_tie")
    return get_object_or_404(Tie, pk=pk, household=household) if pk else None


def worker_of(data: dict[str, Any]) -> User | None:
    # Whether the worker is involved in the household is the service's check.
    pk = data.get("owner_worker")
    return get_object_or_404(User, pk=pk) if pk else None


def _apply(
    what: str,
    data: dict[str, Any],
    plan: Any,
    request: AuthenticatedRequest,
    ground: str,
    form_goals: list[Goal] | None = None,
) -> str:
    """Carry out one posted change of the plan; returns the message for the user."""
    common: dict[str, Any] = {"user": request.user, "request": request, "ground": ground}
    if what == "goal":
        goal_add(
            plan=plan,
            text=data["text"],
            domains=data["domains"],
            expected_version=data["version"] or None,  # 0: the plan did not exist yet
            **common,
        )
        return _("Goal added.")
    if what == "action":
        goal = get_object_or_404(Goal, pk=data["goal"], plan=plan)
        action_add(
            goal=goal,
            description=data["description"],
            owner=data["owner"],
            owner_tie=tie_of(data, plan.household),
            owner_worker=worker_of(data),
            step=data["step"],
            due_date=data["due_date"],
            expected_version=data["version"] or None,
            **common,
        )
        return _("Action added.")
    if what == "agree":
        plan_agree(plan=plan, agreed_on=data["agreed_on"], how=data["how"], **common)
        return _("Agreement recorded.")
    if what == "review":
        plan_review(
            plan=plan,
            held_on=data["held_on"],
            what_changed=data["what_changed"],
            next_review=data["next_review"],
            goals=[
                GoalAtReview(
                    goal, data[f"goal{goal.pk}_state"], data.get(f"goal{goal.pk}_words", "")
                )
                for goal in form_goals or []
            ],
            expected_version=data.get("version") or None,
            **common,
        )
        return _("Review recorded.")
    if what == "close":
        plan_close(
            plan=plan,
            reason=data["reason"],
            reached=data["reached"],
            aftercare_on=data["aftercare_on"],
            **common,
        )
        return _("File closed. The aftercare check is on your list.")
    if what == "reopen":
        plan_reopen(plan=plan, **common)
        return _("File reopened.")
    aftercare_done(plan=plan, note=data["note"], **common)
    return _("Aftercare recorded.")


def _plan_post(
    request: AuthenticatedRequest, household: Household, ground: str, what: str
) -> HttpResponse | tuple[str, Any]:
    """One posted change of the plan: the redirect when it worked, else the failed form."""
    extra: dict[str, Any] = {}
    if what == "action":
        extra = {
            "owner_ties": owner_choices(household),
            "owner_workers": involved_workers(household),
        }
    elif what == "review":
        extra = {"goals": list(Goal.objects.filter(plan__household=household))}
    form = POST_FORMS[what](request.POST, **extra)
    if form.is_valid():
        plan = plan_get_or_create(
            household=household, user=request.user, request=request, ground=ground
        )
        try:
            message = _apply(
                what, form.cleaned_data, plan, request, ground, getattr(form, "goals", None)
            )
            messages.success(request, message)
            return redirect("casework:plan", pk=household.pk)
        except ValidationError as error:
            errors_to_form(form, error)
    return (what, form)


@require_http_methods(["GET", "POST"])
@audited
def plan_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "plan"})
    writable = can_write(ground)
    failed: tuple[str, Any] | None = None
    if request.method == "POST":
        what = request.POST.get("what", "")
        if what in POSTS:
            # Co-writing: the resident's proposals and the worker's answers.
            response, form = proposal_post(request, household, ground, what)
            if response is not None:
                return response
            failed = (what, form)
        elif not writable or what not in POST_FORMS:
            raise Http404
        else:
            outcome = _plan_post(request, household, ground, what)
            if not isinstance(outcome, tuple):
                return outcome
            failed = outcome
    overview = plan_overview(household)
    version = overview.plan.version if overview.plan else 0

    def form_for(what: str, default: Any, goal: int | None = None) -> Any:
        # The form that failed comes back with its errors and the text the user typed.
        if (
            failed
            and failed[0] == what
            and (goal is None or str(goal) == failed[1].data.get("goal"))
        ):
            return failed[1]
        return default

    owners = owner_choices(household)
    workers = involved_workers(household) if writable else []
    goal_sections = [
        (
            goal,
            form_for(
                "action",
                ActionForm(
                    initial={"goal": goal.pk, "version": version},
                    owner_ties=owners,
                    owner_workers=workers,
                ),
                goal.pk,
            ),
        )
        for goal in overview.goals
    ]
    return render(
        request,
        "casework/plan.html",
        {
            "household": household,
            "overview": overview,
            "writable": writable,
            # A closed file is read-only until it is reopened.
            "editable": writable and not (overview.plan and overview.plan.closed_on),
            "goal_form": form_for("goal", GoalForm(initial={"version": version})),
            "agree_form": form_for("agree", AgreeForm()),
            "review_form": form_for(
                "review", ReviewForm(initial={"version": version}, goals=overview.goals)
            ),
            "close_form": form_for("close", CloseForm()),
            "aftercare_form": form_for("aftercare", AftercareForm()),
            "reviews": overview.plan.reviews.select_related("by")[:20] if overview.plan else [],
            "goal_sections": goal_sections,
            **proposal_context(household, ground, overview, failed, version),
        },
        status=400 if failed else 200,
    )


@require_POST
@audited
def action_status(request: AuthenticatedRequest, pk: int, action_pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, action=AuditAction.UPDATE)
    if not can_write(ground):
        raise Http404
    action = get_object_or_404(
        Action.objects.select_related("goal__plan"), pk=action_pk, goal__plan__household=household
    )
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose done, not done or no longer needed."))
        return redirect("casework:plan", pk=household.pk)
    try:
        action_set_status(
            action=action,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
            user=request.user,
            request=request,
            ground=ground,
        )
    except PlanChangedMeanwhile as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Action marked: %(status)s.") % {"status": action.get_status_display()},
        )
    return redirect("casework:plan", pk=household.pk)


@require_http_methods(["GET", "POST"])
@audited
def conversations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Kitchen-table conversations of a household, and a form to record one."""
    household, ground = household_for_request(request, pk, details={"page": "conversations"})
    writable = can_write(ground)
    form = ConversationForm(request.POST or None)
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            try:
                conversation_record(
                    household=household,
                    user=request.user,
                    request=request,
                    ground=ground,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Conversation saved."))
                return redirect("casework:conversations", pk=household.pk)
    return render(
        request,
        "casework/conversations.html",
        {
            "household": household,
            "form": form,
            "writable": writable,
            "conversations": household.conversations.select_related("by")[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@audited
def plan_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The plan as a PDF for the fridge. Printing is logged as its own kind of look."""
    household, _ground = household_for_request(
        request, pk, action=AuditAction.PRINT, details={"page": "plan pdf"}
    )
    lead = (
        Involvement.objects.filter(
            household=household, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .select_related("worker")
        .first()
    )
    content = plan_pdf(
        household=household,
        overview=plan_overview(household),
        lead_worker=lead.worker.get_full_name() if lead else "",
    )
    response = HttpResponse(content, content_type="application/pdf")
    # inline: the phone opens it in its viewer, from where it prints or shares.
    response["Content-Disposition"] = 'inline; filename="plan.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@recent_auth_required
@require_http_methods(["GET", "POST"])
@audited
def household_merge_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The team leader merges a duplicate file into this one. Asks for the password again:
    a merge moves a whole file and cannot be undone from the screen."""
    household, ground = household_for_request(request, pk, details={"page": "merge"})
    if ground != Ground.TEAM_LEADER:
        raise Http404
    candidates = merge_candidates(user=request.user, household=household)
    form = MergeForm(request.POST or None, candidates=[c.household.pk for c in candidates])
    if request.method == "POST" and form.is_valid():
        duplicate = next(
            c.household for c in candidates if c.household.pk == form.cleaned_data["duplicate"]
        )
        try:
            household_merge(
                keep=household,
                duplicate=duplicate,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The files are merged into this one."))
            return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "casework/merge.html",
        {"household": household, "candidates": candidates, "form": form},
        status=400 if request.method == "POST" else 200,
    )
