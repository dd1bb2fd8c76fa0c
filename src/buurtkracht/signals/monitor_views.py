"""The signal monitor page and its export (CSV, XLSX). Aggregates only: no resident is
named, and every count is rounded to base 5, so that no figure about fewer than five reports
can be worked out (see `core.disclosure`)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
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
from buurtkracht.signals.models import ContactAttempt
from buurtkracht.signals.monitor import (
    REFERENCE_PER_1000,
    REFERENCE_REACH,
    CostPicture,
    GroupBy,
    MonitorRow,
    attempt_kinds,
    cost_picture,
    first_month_with_data,
    monitor_rows,
    month_start,
    months_back,
    months_between,
    months_with_data,
    total_row,
)
from buurtkracht.signals.services import outreach_settings

# Aggregates for policy: the roles that steer outreach, not the workers doing it.
MONITOR_ROLES = (Role.TEAM_LEADER, Role.SIGNAL_OFFICER, Role.POLICY_ADVISOR)
DEFAULT_MONTHS = 12
MAX_MONTHS = 120
EXPORT_FORMATS = ("csv", "xlsx")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class MonitorFilterForm(forms.Form):
    month_from = forms.DateField(
        label=gettext_lazy("From month"),
        required=False,
        input_formats=["%Y-%m", "%m-%Y"],
        widget=MonthInput(),
        help_text=gettext_lazy("For example 2026-01."),
    )
    month_to = forms.DateField(
        label=gettext_lazy("Until month"),
        required=False,
        input_formats=["%Y-%m", "%m-%Y"],
        widget=MonthInput(),
        help_text=gettext_lazy("This month is included."),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=gettext_lazy("All teams"),
    )
    neighbourhood = forms.ModelChoiceField(
        label=gettext_lazy("Neighbourhood"),
        queryset=Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name"),
        required=False,
        empty_label=gettext_lazy("All neighbourhoods"),
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("Show per"),
        required=False,
        choices=[
            ("month", gettext_lazy("month")),
            ("team", gettext_lazy("team")),
            ("neighbourhood", gettext_lazy("neighbourhood")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = month_start(data.get("month_to") or timezone.localdate())
        start = month_start(data.get("month_from") or months_back(end, DEFAULT_MONTHS - 1))
        if start > end:
            raise ValidationError(
                _("The first month comes after the last month. Swap them."), code="order"
            )
        if len(months_between(start, end)) > MAX_MONTHS:
            raise ValidationError(
                _("Choose a period of at most %(n)s months.") % {"n": MAX_MONTHS}, code="long"
            )
        data["month_from"], data["month_to"] = start, end
        data["group_by"] = data.get("group_by") or "month"
        return data


@dataclass(frozen=True)
class Selection:
    """The period asked for (`months`) and what is shown of it: only the months from the
    first month the municipality has any signal of (`first_data`). Earlier months are not
    months without signals but months before there was data, so they are left out of the
    page, the charts and the exports rather than shown as zeros."""

    months: list[dt.date]
    team: Team | None
    neighbourhood: Area | None
    group_by: GroupBy
    first_data: dt.date | None = None

    @property
    def shown_months(self) -> list[dt.date]:
        return months_with_data(self.months, self.first_data)

    @property
    def cut_off(self) -> bool:
        """Whether months at the start of the period are left out for lack of data."""
        shown = self.shown_months
        return bool(shown) and shown[0] > self.months[0]

    def terms(self) -> dict[str, str]:
        """The filters as plain text, for the audit log."""
        terms = {
            "month_from": f"{self.months[0]:%Y-%m}",
            "month_to": f"{self.months[-1]:%Y-%m}",
            "group_by": self.group_by,
        }
        if self.cut_off:
            terms["shown_from"] = f"{self.shown_months[0]:%Y-%m}"
        if self.team:
            terms["team"] = str(self.team.pk)
        if self.neighbourhood:
            terms["neighbourhood"] = str(self.neighbourhood.pk)
        return terms

    def rows(self, group_by: GroupBy | None = None) -> list[MonitorRow]:
        if not self.shown_months:  # no data in the period: nothing to show, not zeros
            return []
        return monitor_rows(
            months=self.shown_months,
            team_id=self.team.pk if self.team else None,
            neighbourhood_id=self.neighbourhood.pk if self.neighbourhood else None,
            group_by=group_by or self.group_by,
        )


def _selection(request: AuthenticatedRequest) -> tuple[MonitorFilterForm, Selection | None]:
    form = MonitorFilterForm(request.GET)  # always bound: every field has a default
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, Selection(
        months=months_between(data["month_from"], data["month_to"]),
        team=data.get("team"),
        neighbourhood=data.get("neighbourhood"),
        group_by=data["group_by"],
        first_data=first_month_with_data(),
    )


# Charts --------------------------------------------------------------------------------------

# Inline SVG in a 340-unit wide box, about the width of a phone, drawn with presentation
# attributes only (the Content Security Policy allows no inline styles).
CHART_WIDTH = 340
LABEL_END = 80
BAR_START = 86
BAR_SPACE = 186
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 26
FONT_SIZE = 15


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: str
    text_y: str
    width: str
    text_x: str
    shown: bool


@dataclass(frozen=True)
class Chart:
    width: ClassVar[int] = CHART_WIDTH
    label_end: ClassVar[int] = LABEL_END
    bar_start: ClassVar[int] = BAR_START
    bar_height: ClassVar[int] = BAR_HEIGHT
    font_size: ClassVar[int] = FONT_SIZE

    id: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    axis_end: str
    reference_x: str | None
    reference_label: str


def _bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: list[MonitorRow],
    figure: str,
    scale_max: float,
    reference: float | None = None,
    reference_label: str = "",
) -> Chart:
    values = [getattr(row, figure) for row in rows]
    top = max([scale_max, reference or 0] + [float(f.value) for f in values if f.value is not None])
    top = top or 1
    bars = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = TOP + index * ROW_HEIGHT
        width = 0.0 if value.value is None else BAR_SPACE * float(value.value) / top
        label = formats.date_format(row.key, "M Y") if isinstance(row.key, dt.date) else row.label
        bars.append(
            Bar(
                label=label,
                text=str(value),
                y=f"{y:.1f}",
                text_y=f"{y + BAR_HEIGHT - 5:.1f}",
                width=f"{width:.1f}",
                text_x=f"{BAR_START + width + 6:.1f}",
                shown=value.value is not None and width > 0,
            )
        )
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        bars=bars,
        height=TOP + len(rows) * ROW_HEIGHT + 8,
        axis_end=f"{TOP + len(rows) * ROW_HEIGHT:.1f}",
        reference_x=(
            f"{BAR_START + BAR_SPACE * reference / top:.1f}" if reference is not None else None
        ),
        reference_label=reference_label,
    )


def _charts(month_rows: list[MonitorRow]) -> list[Chart]:
    return [
        _bar_chart(
            chart_id="chart-signals",
            title=_("Signals per 1,000 inhabitants, per month"),
            rows=month_rows,
            figure="signals_per_1000",
            scale_max=1,
            reference=REFERENCE_PER_1000,
            reference_label=_("dashed line: reference %(n)s") % {"n": REFERENCE_PER_1000},
        ),
        _bar_chart(
            chart_id="chart-contact",
            title=_("Contact rate (someone reached), per month"),
            rows=month_rows,
            figure="contact_rate",
            scale_max=100,
        ),
    ]


# Pages ---------------------------------------------------------------------------------------


def _cost(rows: list[MonitorRow]) -> CostPicture | None:
    try:
        settings = outreach_settings()
    except ValidationError:  # no municipality set up yet
        return None
    return cost_picture(rows, settings)


@require_GET
@role_required(*MONITOR_ROLES)
@audited
def monitor(request: AuthenticatedRequest) -> HttpResponse:
    """Signal figures per month, team or neighbourhood, with two charts and the cost
    picture. Only aggregates, so no resident is a subject of the audit event."""
    form, selection = _selection(request)
    context: dict[str, Any] = {"form": form, "selection": selection, "disclosure": explanation()}
    if selection is not None:
        context.update(
            first_data=(
                formats.date_format(selection.first_data, "YEAR_MONTH_FORMAT")
                if selection.first_data
                else ""
            ),
            query=request.GET.urlencode(),
        )
    if selection is not None and selection.shown_months:
        rows = selection.rows()
        month_rows = rows if selection.group_by == "month" else selection.rows("month")
        kinds = attempt_kinds(rows)
        total = total_row(rows, group_by=selection.group_by)
        context.update(
            rows=rows,
            total=total,
            # Each row with its figures per kind of attempt; the total last.
            table=[(row, row.attempt_figures(kinds)) for row in [*rows, total]],
            # The period asked for; the page says from which month it has figures.
            period_start=formats.date_format(selection.months[0], "YEAR_MONTH_FORMAT"),
            period_end=formats.date_format(selection.months[-1], "YEAR_MONTH_FORMAT"),
            kinds=kinds,
            kind_labels=[ContactAttempt.Kind(kind).label for kind in kinds],
            references=[REFERENCE_REACH.get(kind) for kind in kinds],  # type: ignore[call-overload]
            charts=_charts(month_rows),
            month_rows=month_rows,
            cost=_cost(rows),
            reference_per_1000=REFERENCE_PER_1000,
            group_label=_group_label(selection.group_by),
        )
    note_look(
        request,
        action=Action.READ,
        ground=Ground.ROLE,
        details={
            "page": "signal monitor",
            "filters": selection.terms() if selection else {},
        },
    )
    return render(request, "signals/monitor.html", context)


def _group_label(group_by: str) -> str:
    return {"month": _("Month"), "team": _("Team"), "neighbourhood": _("Neighbourhood")}[group_by]


def export_table(rows: list[MonitorRow], total: MonitorRow, group_by: str) -> list[list[Any]]:
    """The rows as a table: a header, one line per row and the total, with the published
    (rounded) figures of the page."""
    kinds = ContactAttempt.Kind.values
    labels = dict(ContactAttempt.Kind.choices)
    header: list[Any] = [
        _group_label(group_by),
        _("Signals"),
        _("Signals per 1,000 inhabitants per month"),
        _("Reports"),
        _("Several signals"),
        _("Several signals (%)"),
        _("Signal in the previous six months"),
        _("Signal in the previous six months (%)"),
        _("Days to first attempt (median)"),
        _("Reached"),
        _("Contact rate (%)"),
        _("Help accepted"),
        _("Acceptance rate (%)"),
    ]
    for kind in kinds:
        label = str(labels[kind])
        header += [
            _("%(kind)s: attempts") % {"kind": label},
            _("%(kind)s: reached") % {"kind": label},
            _("%(kind)s: reached (%%)") % {"kind": label},
        ]
    table = [header]
    for row in [*rows, total]:
        line: list[Any] = [
            row.label,
            *(
                f.export()
                for f in (
                    row.signals,
                    row.signals_per_1000,
                    row.reports,
                    row.multiple,
                    row.share_multiple,
                    row.consecutive,
                    row.share_consecutive,
                    row.median_days,
                    row.reached,
                    row.contact_rate,
                    row.accepted,
                    row.acceptance_rate,
                )
            ),
        ]
        for attempt in row.attempt_figures(kinds):
            line += [attempt.attempts.export(), attempt.reached.export()]
            line.append(attempt.reach_rate.export())
        table.append(line)
    return table


def _xlsx(table: list[list[Any]]) -> bytes:
    return workbook_bytes([(str(_("Signal monitor")), table)])


@require_GET
@role_required(*MONITOR_ROLES)
@recent_auth_required
@audited
def monitor_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    """The monitor's rows as CSV or XLSX, with the same filters as the page."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, selection = _selection(request)
    if selection is None:
        # Send the user back to the page, which explains what is wrong with the filters.
        return redirect(f"{reverse('signals:monitor')}?{request.GET.urlencode()}")
    rows = selection.rows()
    table = export_table(rows, total_row(rows, group_by=selection.group_by), selection.group_by)
    note_look(
        request,
        action=Action.EXPORT,
        ground=Ground.ROLE,
        details={
            "export": "signal monitor",
            "format": fmt,
            "rows": len(rows),
            "filters": selection.terms(),
        },
    )
    # Named after the months it holds: those from the first month with data on.
    months = selection.shown_months or selection.months
    name = f"signaalmonitor-{months[0]:%Y%m}-{months[-1]:%Y%m}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        csv.writer(response).writerows(safe_line(line) for line in table)
    else:
        response = HttpResponse(
            _xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
