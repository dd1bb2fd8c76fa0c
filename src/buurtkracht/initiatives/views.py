"""Pages of resident initiatives (issue 8). Who may do what:

| who | propose, follow (link) | list, detail | support, budget, money | decide | budgets |
|---|---|---|---|---|---|
| anyone, no account | yes | – | – | – | – |
| community worker | yes | yes, with contacts | yes | every step | yes |
| policy advisor | yes | yes, no contacts | – | an official's | yes |

"Follow" is the secret link: follow, change, withdraw and report back.

The results page is public and shows no contact details. Anyone else gets a 404 on the
staff pages. Initiatives hold no household data, so reads are not logged; writes are.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.core.exports import Money, csv_line, workbook_bytes
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.queries import uuid_or_404
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.initiatives import services
from buurtkracht.initiatives.forms import (
    BudgetForm,
    DecisionForm,
    FilterForm,
    FundingForm,
    ProposalEditForm,
    ProposalForm,
    ReportForm,
    SupportForm,
)
from buurtkracht.initiatives.models import Budget, Decision, Initiative, RouteStep

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

STAFF_ROLES = (Role.COMMUNITY_WORKER, Role.POLICY_ADVISOR)
# Against floods of spam: this many proposals per address per hour is plenty for a street.
PROPOSALS_PER_HOUR = 10


# --- public pages ---------------------------------------------------------------------


def _route(initiative: Initiative) -> list[dict[str, Any]]:
    """The steps of the route with their decisions, for initiators and staff alike."""
    decisions: dict[Any, list[Decision]] = {}
    for decision in initiative.decisions.all():
        decisions.setdefault(decision.step_id, []).append(decision)
    current = services.current_step(initiative) if initiative.status == "in_assessment" else None
    return [
        {"step": step, "decisions": decisions.get(step.pk, []), "current": step == current}
        for step in initiative.steps()
    ]


def _initiative_queryset() -> QuerySet[Initiative]:
    return Initiative.objects.select_related("neighbourhood__parent", "budget").prefetch_related(
        Prefetch("budget__steps", queryset=RouteStep.objects.order_by("order", "amount_above")),
        "decisions",
        "fundings",
    )


def _by_token(token: str) -> Initiative:
    initiative = services.initiative_by_token(token)
    if initiative is None:
        raise Http404
    return _initiative_queryset().get(pk=initiative.pk)


def _too_many(request: HttpRequest) -> bool:
    key = f"initiatives:propose:{request.META.get('REMOTE_ADDR', '')}"
    count = cache.get(key, 0)
    if count >= PROPOSALS_PER_HOUR:
        return True
    cache.set(key, count + 1, 3600)
    return False


@login_not_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam or _too_many(request):
            # Say nothing a bot can learn from; a person who types too fast can try later.
            form.add_error(None, _("Your proposal could not be sent. Try again in an hour."))
        else:
            try:
                _initiative, token = services.initiative_propose(data=form.initiative_input())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                return redirect(reverse("initiatives:follow", args=[token]) + "?nieuw=1")
    return render(
        request,
        "initiatives/propose.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_GET
def follow(request: HttpRequest, token: str) -> HttpResponse:
    initiative = _by_token(token)
    report = getattr(initiative, "report", None) if initiative.status == "reported" else None
    return render(
        request,
        "initiatives/follow.html",
        {
            "initiative": initiative,
            "token": token,
            "new": request.GET.get("nieuw") == "1",
            "link": request.build_absolute_uri(reverse("initiatives:follow", args=[token])),
            "route": _route(initiative),
            "next": services.next_step(initiative),
            "may_edit": initiative.status in Initiative.EDITABLE,
            "may_withdraw": initiative.status in Initiative.OPEN | {"approved"},
            "may_report": initiative.status in ("approved", "running"),
            "report": report,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, token: str) -> HttpResponse:
    initiative = _by_token(token)
    if initiative.status not in Initiative.EDITABLE:
        raise Http404
    form = ProposalEditForm.for_record(request.POST or None, initiative)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                initiative=initiative,
                data=form.initiative_input(),
                expected_version=form.expected_version(),
            )
        except ChangedMeanwhile:
            form.changed_meanwhile(_by_token(token))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("initiatives:follow", token=token)
    return render(
        request,
        "initiatives/propose.html",
        {"form": form, "initiative": initiative, "token": token},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    initiative = _by_token(token)
    try:
        services.initiative_withdraw(initiative=initiative)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your proposal is withdrawn."))
    return redirect("initiatives:follow", token=token)


def _report(
    request: HttpRequest, initiative: Initiative, user: User | None
) -> tuple[ReportForm, bool]:
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                initiative=initiative,
                story=form.cleaned_data.get("story") or "",
                attendance=form.cleaned_data.get("attendance"),
                photos=form.photos(),
                photos_agreed=bool(form.cleaned_data.get("photos_agreed")),
                user=user,
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return form, True
    return form, False


@login_not_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, token: str) -> HttpResponse:
    initiative = _by_token(token)
    if initiative.status not in ("approved", "running"):
        raise Http404
    form, done = _report(request, initiative, None)
    if done:
        messages.success(request, _("Thank you! Your story is on the results page."))
        return redirect("initiatives:follow", token=token)
    return render(
        request,
        "initiatives/report.html",
        {
            "form": form,
            "initiative": initiative,
            "back": reverse("initiatives:follow", args=[token]),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """What residents did with their budgets, per neighbourhood: the story and how many
    took part. Never the initiators' names or contact details."""
    reported = (
        Initiative.objects.filter(status=Initiative.Status.REPORTED)
        .select_related("neighbourhood", "report")
        .prefetch_related("fundings", "report__photos")
        .order_by("neighbourhood__name", "-report__created_at")
    )
    return render(request, "initiatives/results.html", {"initiatives": reported})


# --- staff pages ----------------------------------------------------------------------


def _get(pk: str) -> Initiative:
    return get_object_or_404(_initiative_queryset(), pk=uuid_or_404(pk))


@require_GET
@role_required(*STAFF_ROLES)
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    initiatives = Initiative.objects.select_related("neighbourhood", "budget").order_by(
        "created_at"
    )
    if data.get("status"):
        initiatives = initiatives.filter(status=data["status"])
    else:
        initiatives = initiatives.filter(status__in=Initiative.OPEN)
    if data.get("area"):
        initiatives = initiatives.filter(neighbourhood=data["area"])
    return render(
        request, "initiatives/list.html", {"form": form, "initiatives": initiatives[:200]}
    )


def _detail_context(request: AuthenticatedRequest, initiative: Initiative) -> dict[str, Any]:
    community_worker = request.user.has_role(Role.COMMUNITY_WORKER)
    step = services.current_step(initiative) if initiative.status == "in_assessment" else None
    return {
        "initiative": initiative,
        "route": _route(initiative),
        "next": services.next_step(initiative),
        "supports": initiative.supports.select_related("by"),
        "show_contact": community_worker,
        "may_write": community_worker,
        "step": step,
        "may_decide": step is not None and services.may_decide(request.user, step),
        "support_form": SupportForm(initial={"date": timezone.localdate().strftime("%d-%m-%Y")}),
        "budget_form": BudgetForm(
            initiative=initiative,
            initial={"budget": initiative.budget_id},
        ),
        "decision_form": DecisionForm(initial={"decided_as": step.who if step else ""}),
        "funding_form": FundingForm(),
        "report_form": ReportForm(),
        "report": getattr(initiative, "report", None) if initiative.status == "reported" else None,
    }


@require_GET
@role_required(*STAFF_ROLES)
def detail(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    initiative = _get(pk)
    return render(request, "initiatives/detail.html", _detail_context(request, initiative))


def _again(
    request: AuthenticatedRequest, initiative: Initiative, name: str, form: Any
) -> HttpResponse:
    """The detail page again with the form that had errors, keeping what was typed."""
    context = _detail_context(request, initiative)
    context[name] = form
    return render(request, "initiatives/detail.html", context, status=400)


def _submit(
    request: AuthenticatedRequest,
    initiative: Initiative,
    form: Any,
    name: str,
    write: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A staff form on the detail page: the service writes (its errors go back to the form
    named `name`, with what was typed), or the detail page follows with `done`."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, done)
            return redirect("initiatives:detail", pk=initiative.pk)
    return _again(request, initiative, name, form)


@require_POST
@role_required(Role.COMMUNITY_WORKER)
def support(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    initiative = _get(pk)
    return _submit(
        request,
        initiative,
        SupportForm(request.POST),
        "support_form",
        lambda data: services.support_record(
            initiative=initiative,
            date=data["date"],
            what=data.get("what") or "",
            user=request.user,
            request=request,
        ),
        _("Support recorded."),
    )


@require_POST
@role_required(Role.COMMUNITY_WORKER)
def assign_budget(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    initiative = _get(pk)
    return _submit(
        request,
        initiative,
        BudgetForm(request.POST, initiative=initiative),
        "budget_form",
        lambda data: services.budget_assign(
            initiative=initiative, budget=data["budget"], user=request.user, request=request
        ),
        _("The assessment has started."),
    )


@require_POST
@role_required(*STAFF_ROLES)
def decide(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    initiative = _get(pk)
    step = services.current_step(initiative) if initiative.status == "in_assessment" else None
    if step is None or not services.may_decide(request.user, step):
        raise Http404
    return _submit(
        request,
        initiative,
        DecisionForm(request.POST),
        "decision_form",
        lambda data: services.decision_record(
            initiative=initiative,
            outcome=data["outcome"],
            reason=data.get("reason") or "",
            decided_as=data.get("decided_as") or "",
            reference=data.get("reference") or "",
            user=request.user,
            request=request,
        ),
        _("Decision recorded."),
    )


@require_POST
@role_required(Role.COMMUNITY_WORKER)
def funding(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    initiative = _get(pk)
    form = FundingForm(request.POST)
    return _submit(
        request,
        initiative,
        form,
        "funding_form",
        lambda data: services.funding_set(
            initiative=initiative, shares=form.shares(), user=request.user, request=request
        ),
        _("Funders recorded."),
    )


@require_POST
@role_required(Role.COMMUNITY_WORKER)
def paid(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    initiative = _get(pk)
    try:
        services.initiative_mark_paid(initiative=initiative, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Marked as paid. The initiative is running."))
    return redirect("initiatives:detail", pk=initiative.pk)


@require_POST
@role_required(Role.COMMUNITY_WORKER)
def staff_report(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    initiative = _get(pk)
    form, done = _report(request, initiative, request.user)
    if done:
        messages.success(request, _("The report back is recorded."))
        return redirect("initiatives:detail", pk=initiative.pk)
    return _again(request, initiative, "report_form", form)


@require_GET
@role_required(*STAFF_ROLES)
def budgets(request: AuthenticatedRequest) -> HttpResponse:
    lines = services.budget_overview(
        Budget.objects.select_related("area").order_by("-starts_on", "area__name")
    )
    return render(request, "initiatives/budgets.html", {"lines": lines})


BUDGET_EXPORT_FORMATS = ("csv", "xlsx")


def budget_export_lines(lines: list[services.BudgetLine]) -> list[list[Any]]:
    """The budgets overview for a spreadsheet: amounts in the export money format
    (core.exports, docs/formats.md), dates as dates."""
    table: list[list[Any]] = [
        [
            _("Budget"),
            _("Area"),
            _("Starts on"),
            _("Ends on"),
            _("Amount (EUR)"),
            _("Approved (EUR)"),
            _("Paid (EUR)"),
            _("Left (EUR)"),
            _("Waiting"),
        ]
    ]
    for line in lines:
        budget = line.budget
        table.append(
            [
                budget.name,
                budget.area.name,
                budget.starts_on,
                budget.ends_on,
                Money(budget.amount),
                Money(line.committed),
                Money(line.paid),
                Money(line.left),
                line.waiting,
            ]
        )
    return table


@require_GET
@role_required(*STAFF_ROLES)
def budgets_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    """The resident budgets overview as CSV or XLSX (no resident data in it)."""
    if fmt not in BUDGET_EXPORT_FORMATS:
        raise Http404
    table = budget_export_lines(
        services.budget_overview(
            Budget.objects.select_related("area").order_by("-starts_on", "area__name")
        )
    )
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        csv.writer(response).writerows(csv_line(line) for line in table)
    else:
        response = HttpResponse(
            workbook_bytes([(str(_("Resident budgets")), table)]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = f"bewonersbudgetten-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
