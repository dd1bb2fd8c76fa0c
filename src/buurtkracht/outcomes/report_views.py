"""The neighbourhood report page and its exports (CSV, XLSX). Aggregates only: no resident
and no worker is named, and every count is rounded to base 5 so that no figure about
fewer than five households can be worked out (see `core.disclosure`)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.reauth import recent_auth_required
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action, Ground
from buurtkracht.core.disclosure import explanation
from buurtkracht.core.exports import safe_line, workbook_bytes
from buurtkracht.core.models import Area, Team
from buurtkracht.outcomes.report_pdf import report_pdf
from buurtkracht.outcomes.reports import OutcomeReport, Period, outcome_report

# The roles that steer and account for the work, not the workers doing it.
REPORT_ROLES = (Role.TEAM_LEADER, Role.POLICY_ADVISOR)
EXPORT_FORMATS = ("csv", "xlsx", "pdf")
MAX_DAYS = 5 * 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Empty: twelve months ago."),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Up to and including"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Empty: today."),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All teams"),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("District or neighbourhood"),
        queryset=Area.objects.filter(
            kind__in=(Area.Kind.DISTRICT, Area.Kind.NEIGHBOURHOOD)
        ).order_by("kind", "name"),
        required=False,
        empty_label=gettext_lazy("All neighbourhoods"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("date_to") or timezone.localdate()
        start = data.get("date_from") or _a_year_before(end)
        if start > end:
            raise ValidationError(
                _("The first date comes after the last date. Swap them."), code="order"
            )
        if (end - start).days > MAX_DAYS:
            raise ValidationError(_("Choose a period of at most five years."), code="long")
        data["date_from"], data["date_to"] = start, end
        return data


def _a_year_before(end: dt.date) -> dt.date:
    try:
        return end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return end.replace(year=end.year - 1, day=28) + dt.timedelta(days=1)


def _report(request: AuthenticatedRequest) -> tuple[ReportFilterForm, OutcomeReport | None]:
    form = ReportFilterForm(request.GET)  # always bound: every field has a default
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    period = Period(data["date_from"], data["date_to"])
    return form, outcome_report(period=period, team=data.get("team"), area=data.get("area"))


def _story_subjects(report: OutcomeReport | None) -> list[int]:
    """The residents whose stories (with their consent) the report shows: they can see in
    their access log that their story was read."""
    if report is None:
        return []
    return sorted({s.about_id for s in report.stories.stories if s.about_id})


def _terms(report: OutcomeReport) -> dict[str, str]:
    """The filters as plain text, for the audit log."""
    terms = {"from": report.period.start.isoformat(), "to": report.period.end.isoformat()}
    if report.team:
        terms["team"] = str(report.team.pk)
    if report.area:
        terms["area"] = str(report.area.pk)
    return terms


@require_GET
@role_required(*REPORT_ROLES)
@audited
def report(request: AuthenticatedRequest) -> HttpResponse:
    """Figures per neighbourhood for a period. Only aggregates, so no resident is a
    subject of the audit event."""
    form, result = _report(request)
    note_look(
        request,
        action=Action.READ,
        subjects=_story_subjects(result),
        ground=Ground.ROLE,
        details={"page": "outcome report", "filters": _terms(result) if result else {}},
    )
    return render(
        request,
        "outcomes/report.html",
        {
            "form": form,
            "report": result,
            "disclosure": explanation(),
            "query": request.GET.urlencode(),
        },
    )


def export_lines(result: OutcomeReport) -> list[list[Any]]:
    """Every table one under the other, each with its title, as on the page."""
    lines: list[list[Any]] = [
        [_("Period"), result.period.start.isoformat(), result.period.end.isoformat()],
    ]
    if result.team:
        lines.append([_("Team"), str(result.team)])
    if result.area:
        lines.append([_("District or neighbourhood"), str(result.area)])
    lines.append([explanation()])
    for table in result.tables:
        lines.append([])
        lines.append([table.title])
        lines.extend(table.lines())
    lines.append([])
    lines.extend(story_lines(result))
    return lines


def story_lines(result: OutcomeReport) -> list[list[Any]]:
    """The stories as rows: a title line, a header, one row per story."""
    lines: list[list[Any]] = [[_("Stories from the neighbourhoods")]]
    lines.append([_("Date"), _("Neighbourhood"), _("From"), _("Title"), _("Story")])
    for story in result.stories.stories:
        lines.append(
            [
                story.written_on.isoformat(),
                story.neighbourhood,
                story.source,
                story.title,
                story.text,
            ]
        )
    return lines


def _xlsx(result: OutcomeReport) -> bytes:
    # One sheet per table, numbered; the full title is the sheet's first line.
    sheets = [
        (f"{number} {table.title}", [[table.title], [explanation()], *table.lines()])
        for number, table in enumerate(result.tables, start=1)
    ]
    sheets.append((f"{len(sheets) + 1} {_('Stories')}", story_lines(result)))
    return workbook_bytes(sheets)


@require_GET
@role_required(*REPORT_ROLES)
@recent_auth_required
@audited
def report_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    """The report's tables as CSV, XLSX or PDF (with charts), with the same filters, the
    same hidden figures and the same stories as the page."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, result = _report(request)
    if result is None:
        # Back to the page, which explains what is wrong with the filters.
        return redirect(f"{reverse('outcomes:report')}?{request.GET.urlencode()}")
    note_look(
        request,
        action=Action.EXPORT,
        subjects=_story_subjects(result),
        ground=Ground.ROLE,
        details={
            "export": "outcome report",
            "format": fmt,
            "neighbourhoods": len(result.neighbourhoods),
            "filters": _terms(result),
        },
    )
    name = f"wijkrapportage-{result.period.start:%Y%m%d}-{result.period.end:%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        csv.writer(response).writerows(safe_line(line) for line in export_lines(result))
    elif fmt == "pdf":
        response = HttpResponse(report_pdf(result), content_type="application/pdf")
    else:
        response = HttpResponse(
            _xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
