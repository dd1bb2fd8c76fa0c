"""Signal pages: the partner's delivery, the signal officer's review list, the team's
outreach list and a report. Which reports a user may read comes from the one visibility
module (households.visibility); every look is logged through `@audited`."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.models import Role
from buurtkracht.accounts.queries import assigning_teams, current_teams
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look, note_refusal
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.jobs import job_status, kind_label
from buurtkracht.core.models import Job
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.households.models import Membership, Person
from buurtkracht.households.visibility import is_signal_officer, report_ground, visible_reports
from buurtkracht.signals import outreach, queries
from buurtkracht.signals.columns import CANONICAL_FIELDS
from buurtkracht.signals.feedback import feedback_csv
from buurtkracht.signals.forms import (
    FIELD_LABELS,
    AttemptForm,
    CorrectionForm,
    DecisionForm,
    OutcomeForm,
    OverrideForm,
    UploadForm,
)
from buurtkracht.signals.matching.candidates import years_before
from buurtkracht.signals.models import Delivery, RejectedRow, Report, Signal
from buurtkracht.signals.services import (
    delivery_row_correct,
    reason_text,
)
from buurtkracht.signals.services.deliveries import JOB_KIND, delivery_submit_file

# Partner side -------------------------------------------------------------------------------


def _partner(request: AuthenticatedRequest) -> Any:
    if not request.user.has_role(Role.PARTNER_LIAISON) or request.user.organisation is None:
        raise Http404
    return request.user.organisation


@require_http_methods(["GET", "POST"])
def deliver(request: AuthenticatedRequest) -> HttpResponse:
    """The partner liaison delivers a file of signals; progress shows while it runs."""
    organisation = _partner(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    upload_id = request.POST.get("upload_id", "")
    try:
        upload_id = str(uuid.UUID(upload_id))
    except ValueError:
        upload_id = str(uuid.uuid4())
    unknown_columns: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Stored now, taken in by a background job: the page of the delivery shows
            # its progress (a national file takes longer than a request may).
            outcome = delivery_submit_file(
                organisation=organisation,
                data=upload.read(),
                filename=upload.name or "",
                user=request.user,
                upload_id=upload_id,
                allow_unknown_columns=form.cleaned_data["skip_unknown_columns"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            delivery = outcome.delivery
            url = reverse("signals:delivery", args=[delivery.pk])
            if outcome.already_delivered:
                # Said by the page itself, not by a one-time message: the upload script's
                # request follows this redirect, and the page it then loads must say it too.
                return redirect(f"{url}?again=1")
            delivery.refresh_from_db()
            if delivery.status == Delivery.Status.FAILED and not delivery.rows_total:
                # Read already (where tasks run at once) and not readable as a whole, or
                # with columns not recognised: say so here, and offer to leave them out.
                form.add_error("file", delivery.message)
                unknown_columns = list(delivery.ignored_columns)
            else:
                return redirect(url)
    return render(
        request,
        "signals/deliver.html",
        {
            "form": form,
            "unknown_columns": unknown_columns,
            "upload_id": upload_id,
            "organisation": organisation,
            "fields": [(name, FIELD_LABELS[name]) for name in CANONICAL_FIELDS],
            "deliveries": queries.deliveries_of(request.user)[:10],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def delivery_progress(request: AuthenticatedRequest, upload_id: str) -> JsonResponse:
    _partner(request)
    delivery = queries.deliveries_of(request.user).filter(upload_id=upload_id).first()
    if delivery is None:
        return JsonResponse({"done": 0, "total": 0, "status": "waiting"})
    return JsonResponse(
        {"done": delivery.rows_done, "total": delivery.rows_total, "status": delivery.status}
    )


@require_GET
@audited
def feedback_download(request: AuthenticatedRequest) -> HttpResponse:
    """What the partner may know of each signal they sent: contact made, help accepted.
    No names, notes or kind of help (Wgs: the partner learns only the outcome)."""
    organisation = _partner(request)
    content = feedback_csv(organisation)
    note_look(
        request,
        action=AuditAction.EXPORT,
        ground=Ground.ROLE,
        on_behalf_of=str(organisation),
        details={"export": "signal feedback", "format": "csv"},
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="terugkoppeling-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response


@require_GET
@audited
def delivery_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _partner(request)
    delivery = get_object_or_404(queries.deliveries_of(request.user), pk=pk)
    rows = list(delivery.rejected_rows.filter(resolved_at__isnull=True))
    corrected = list(delivery.rejected_rows.filter(resolved_at__isnull=False))
    # The rows set aside are the partner's own data, not yet linked to anyone; the look is
    # logged all the same.
    note_look(
        request,
        action=AuditAction.READ,
        obj=delivery,
        ground=Ground.ROLE,
        details={"page": "delivery", "rows_set_aside": len(rows)},
    )
    job = None
    if delivery.status == Delivery.Status.PROCESSING:
        job = Job.objects.filter(kind=JOB_KIND, object_id=delivery.pk).order_by("-pk").first()
    return render(
        request,
        "signals/delivery.html",
        {
            "delivery": delivery,
            "job": job,
            "job_label": kind_label(job) if job else "",
            "job_status": job_status(job) if job else None,
            "delivered_again": request.GET.get("again") == "1",
            "rows": [(row, _correction_form(row)) for row in rows],
            "corrected": corrected,
            "labels": FIELD_LABELS,
        },
    )


def _correction_form(row: RejectedRow) -> CorrectionForm:
    """The row as delivered (or as last corrected), with its messages on the fields."""
    prefix = f"row{row.pk}"
    form = CorrectionForm(
        {f"{prefix}-{k}": row.raw.get(k, "") for k in CANONICAL_FIELDS}, prefix=prefix
    )
    form.is_valid()
    for error in row.errors:
        form.add_error(error["field"] if error["field"] in form.fields else None, error["message"])
    return form


@require_POST
def row_correct(request: AuthenticatedRequest, pk: int, row_pk: int) -> HttpResponse:
    """A corrected row is taken in as part of its own delivery; if it is still not right,
    what the partner typed is kept with a message per field."""
    _partner(request)
    delivery = get_object_or_404(queries.deliveries_of(request.user), pk=pk)
    row = get_object_or_404(delivery.rejected_rows, pk=row_pk)
    form = CorrectionForm(request.POST, prefix=f"row{row.pk}")
    # The values as typed, also those the form would refuse: the service says per field
    # what is wrong, and nothing typed is lost.
    values = {k: str(form[k].value() or "") for k in CANONICAL_FIELDS}
    result = delivery_row_correct(row=row, values=values, user=request.user, request=request)
    line = {"line": row.line}
    if result.status == "still_wrong":
        messages.error(request, _("Line %(line)s is not right yet; see the messages.") % line)
    elif result.status == "taken_in":
        messages.success(request, _("Line %(line)s is taken in.") % line)
    elif result.status == "delivered_before":  # its reference came in meanwhile
        messages.info(
            request, _("Line %(line)s was delivered before; nothing was added twice.") % line
        )
    else:  # a second submit of the same correction
        messages.info(
            request, _("Line %(line)s was corrected already; nothing was added twice.") % line
        )
    return redirect(f"{reverse('signals:delivery', args=[delivery.pk])}#row-{row.pk}")


# Signal officer -----------------------------------------------------------------------------


def _candidates(signal: Signal) -> list[Membership]:
    """Who the signal officer chooses from: the adults living now behind the signal's own
    door (postcode, number, letter and addition), and anyone the matching proposed — never
    a child, and never a neighbour behind another door who was not proposed."""
    today = timezone.localdate()
    proposed = {pid for pid, _confidence in signal.match_alternatives}
    if signal.person_id:
        proposed.add(signal.person_id)
    same_door = Q(
        household__address__postcode=signal.postcode,
        household__address__house_number=signal.house_number,
        household__address__house_letter=signal.house_letter.upper(),
        household__address__addition=signal.addition.upper(),
    )
    adult = Q(person__date_of_birth__isnull=True) | Q(
        person__date_of_birth__lte=years_before(today, 18)
    )
    return list(
        Membership.objects.filter(household__end_date__isnull=True)
        .filter((same_door & adult) | Q(person_id__in=proposed))
        .exclude(end_date__lt=today)
        .select_related("person", "household__address")
        .order_by("household_id", "person__date_of_birth")
    )


@require_GET
@audited
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    if not is_signal_officer(request.user):
        raise Http404
    signals = list(queries.review_queue()[:30])
    rows = [(signal, _candidates(signal)) for signal in signals]
    subjects = {m.person_id for _s, members in rows for m in members}
    subjects |= {s.person_id for s in signals if s.person_id}
    if rows:
        note_look(
            request,
            action=AuditAction.READ,
            subjects=sorted(subjects),
            ground=Ground.ROLE,
            details={"page": "signal review", "signals": len(rows)},
        )
    return render(
        request,
        "signals/review.html",
        {
            "rows": [(s, members, [_(r) for r in s.match_reasons]) for s, members in rows],
            "total": queries.review_queue().count(),
        },
    )


@require_POST
def review_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not is_signal_officer(request.user):
        raise Http404
    signal = get_object_or_404(queries.review_queue(), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the resident, or that it is nobody here."))
        return redirect("signals:review")
    person_id = form.person_id()
    person = None
    if person_id is not None:
        allowed = {m.person_id for m in _candidates(signal)}
        if person_id not in allowed:
            raise Http404
        person = get_object_or_404(Person, pk=person_id)
    outreach.match_decide(signal=signal, person=person, user=request.user, request=request)
    messages.success(request, _("Decision saved. The next signal like this follows it."))
    return redirect("signals:review")


# Outreach -----------------------------------------------------------------------------------


@require_GET
@audited
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    """The team's outreach list: reports to contact, most urgent first (Eropaf)."""
    ground = report_ground(request.user)
    if ground is None:
        raise Http404
    closed = request.GET.get("status") == "closed"
    teams = list(current_teams(request.user))
    team_id = request.GET.get("team")
    reports = queries.outreach_list(
        request.user, team_id=int(team_id) if team_id and team_id.isdigit() else None, closed=closed
    )
    subjects = sorted({s.person_id for r in reports for s in r.signals.all() if s.person_id})
    if reports:
        note_look(
            request,
            action=AuditAction.READ,
            subjects=subjects,
            ground=ground,
            details={"page": "outreach list", "reports": len(reports)},
        )
    today = timezone.localdate()
    return render(
        request,
        "signals/worklist.html",
        {
            "rows": [(r, queries.overdue(r, today)) for r in reports],
            "closed": closed,
            "teams": teams,
            "team_id": team_id or "",
        },
    )


def _report_for(request: AuthenticatedRequest, pk: int, action: str = AuditAction.READ) -> Report:
    report = (
        visible_reports(request.user, Report.objects.all())
        .select_related("team", "neighbourhood", "household__address", "address", "intake")
        .filter(pk=pk)
        .first()
    )
    ground = report_ground(request.user)
    if report is None or ground is None:
        note_refusal(request, action=action, details={"requested_report": pk})
        raise Http404
    note_look(
        request,
        action=action,
        subjects=queries.report_subjects(report),
        obj=report,
        ground=ground,
        details={"page": "report"},
    )
    return report


def _render_report(
    request: AuthenticatedRequest, report: Report, *, status: int = 200, **forms: Any
) -> HttpResponse:
    signals = list(report.signals.select_related("organisation", "person").order_by("pk"))
    for signal in signals:
        signal.reason_texts = [_(r) for r in signal.match_reasons]  # type: ignore[attr-defined]
    return render(
        request,
        "signals/report.html",
        {
            "report": report,
            "household_file": queries.household_file(request.user, report),
            "signals": signals,
            "reasons": [(reason_text(r), r["points"]) for r in report.priority_reasons],
            "attempts": list(queries.attempts_of(report)),
            "overdue": queries.overdue(report),
            "suggest_not_reached": outreach.suggests_not_reached(report),
            "attempt_form": forms.get("attempt_form") or AttemptForm(),
            "outcome_form": forms.get("outcome_form") or OutcomeForm(),
            "override_form": forms.get("override_form") or OverrideForm.for_record(None, report),
            "reached": any(a.reached for a in report.attempts.all()),
            # Whether "help accepted" makes this user the lead worker of a file without one.
            "may_assign": assigning_teams(request.user).filter(pk=report.team_id or 0).exists(),
        },
        status=status,
    )


@require_GET
@audited
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_report(request, _report_for(request, pk))


@require_POST
@audited
def report_act(request: AuthenticatedRequest, pk: int, what: str) -> HttpResponse:
    """The changes to a report: an attempt, the outcome, a priority set by hand, help
    accepted, reopening. Each form keeps what was typed when it is refused. The look is
    logged here, the change by the service that makes it."""
    if what not in {"attempt", "outcome", "priority", "accept", "reopen"}:
        raise Http404
    report = _report_for(request, pk)
    forms: dict[str, Any] = {}
    form: Any
    try:
        if what == "attempt":
            form = forms["attempt_form"] = AttemptForm(request.POST)
            if form.is_valid():
                outreach.attempt_record(
                    report=report, user=request.user, request=request, **form.cleaned_data
                )
                messages.success(request, _("Attempt saved."))
                return redirect("signals:report", pk=report.pk)
        elif what == "outcome":
            form = forms["outcome_form"] = OutcomeForm(request.POST)
            if form.is_valid():
                outreach.report_close(
                    report=report, user=request.user, request=request, **form.cleaned_data
                )
                messages.success(request, _("Report closed."))
                return redirect("signals:worklist")
        elif what == "priority":
            form = forms["override_form"] = OverrideForm.for_record(request.POST, report)
            if form.is_valid():
                try:
                    outreach.report_override_priority(
                        report=report,
                        user=request.user,
                        request=request,
                        expected_version=form.expected_version(),
                        **form.override_values(),
                    )
                except ChangedMeanwhile:
                    report.refresh_from_db()  # the page shows the report as it is now
                    form.changed_meanwhile(report)
                    return _render_report(request, report, status=400, **forms)
                messages.success(request, _("Priority saved."))
                return redirect("signals:report", pk=report.pk)
        elif what == "accept":
            household = outreach.report_accept_help(
                report=report, user=request.user, request=request
            )
            if household.involvements.filter(worker=request.user, end_date__isnull=True).exists():
                messages.success(
                    request, _("Help accepted. The household's file is open; start the plan here.")
                )
                return redirect("casework:plan", pk=household.pk)
            report.refresh_from_db()
            if report.intake is not None and report.intake.assigned_to_id:
                messages.success(
                    request, _("Help accepted. The intake has gone to the household's lead worker.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Help accepted. The intake waits for the team leader, who assigns "
                        "the lead worker."
                    ),
                )
            return redirect("signals:report", pk=report.pk)
        elif what == "reopen":
            outreach.report_reopen(report=report, user=request.user, request=request)
            return redirect("signals:report", pk=report.pk)
        else:
            raise Http404
    except ValidationError as error:
        target = next(iter(forms.values()), None)
        if target is not None:
            errors_to_form(target, error)
        else:
            for message in error.messages:
                messages.error(request, message)
            return redirect("signals:report", pk=report.pk)
    return _render_report(request, report, status=400, **forms)
