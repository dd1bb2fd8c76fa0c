"""Pages of learning circles (issue 20; docs/circles.md). Who may do what:

| who | read | actions, documents | members, meetings, moments, summary | start |
|---|---|---|---|---|
| a member of the circle | their circles | yes | support team only | – |
| community worker, team leader | their circles | as member | as member | yes |
| anyone, no account | published summaries | – | – | – |

Anyone else gets a 404: the page says nothing about a circle one is not in. A circle
holds no resident case data, so reads are not logged; every write is (circles.services).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.circles import queries, services
from buurtkracht.circles.forms import (
    CircleActionForm,
    CircleForm,
    CircleMeetingForm,
    ColleagueForm,
    DocumentForm,
    InviteForm,
    MomentForm,
    SummaryForm,
)
from buurtkracht.circles.models import Circle
from buurtkracht.core import scanning
from buurtkracht.core.forms import errors_to_form


def _form_page(
    request: AuthenticatedRequest,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _to_circle(circle: Circle, anchor: str = "") -> HttpResponse:
    response = redirect("circles:detail", pk=circle.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


@require_GET
def circle_list(request: AuthenticatedRequest) -> HttpResponse:
    circles = list(queries.circles_of(request.user))
    return render(
        request,
        "circles/list.html",
        {
            "open": [c for c in circles if c.published_at is None],
            "finished": [c for c in circles if c.published_at is not None],
            "may_start": services.may_start(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def circle_start(request: AuthenticatedRequest) -> HttpResponse:
    if not services.may_start(request.user):
        raise Http404
    form = CircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circle = services.circle_start(
                user=request.user,
                title=data["title"],
                question=data["question"],
                neighbourhoods=data["neighbourhoods"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Circle started. Add its members next."))
            return _to_circle(circle, "members")
    return _form_page(request, "circles/start.html", {"form": form})


@require_GET
def circle_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, member = queries.member_of_or_404(request.user, pk)
    return render(
        request,
        "circles/detail.html",
        {"page": queries.circle_page(circle), "member": member, "scanner": scanning.configured()},
    )


@require_http_methods(["GET", "POST"])
def member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk, support=True)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(
                circle=circle,
                by=request.user,
                account=form.cleaned_data["account"],
                support_team=form.cleaned_data["support_team"],
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Colleague added to the circle."))
            return _to_circle(circle, "members")
    return _form_page(request, "circles/member_add.html", {"circle": circle, "form": form})


@require_http_methods(["GET", "POST"])
def member_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk, support=True)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_invite(
                circle=circle,
                by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                kind=data["kind"],
                speaks_for=data["speaks_for"],
                support_team=data["support_team"],
                base_url=request.build_absolute_uri("/"),
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is a member of the circle now.") % {"name": member},
            )
            return _to_circle(circle, "members")
    return _form_page(request, "circles/member_invite.html", {"circle": circle, "form": form})


@require_POST
def member_remove(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk, support=True)
    member = get_object_or_404(circle.members.select_related("user"), pk=member_pk)
    try:
        services.member_remove(member=member, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer in the circle.") % {"name": member})
    return _to_circle(circle, "members")


@require_http_methods(["GET", "POST"])
def meeting_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk, support=True)
    form = CircleMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.meeting_plan(
            circle=circle,
            by=request.user,
            held_on=data["held_on"],
            place=data["place"],
            agenda=data["agenda"],
            request=request,
        )
        if data["notes"]:
            services.meeting_update(meeting=meeting, by=request.user, request=request, **data)
        messages.success(request, _("Meeting added."))
        return _to_circle(circle, "meetings")
    return _form_page(
        request, "circles/meeting.html", {"circle": circle, "form": form, "meeting": None}
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedRequest, pk: int, meeting_pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk, support=True)
    meeting = get_object_or_404(circle.meetings, pk=meeting_pk)
    initial = {
        "held_on": meeting.held_on,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "notes": meeting.notes,
    }
    form = CircleMeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.meeting_update(
            meeting=meeting, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, _("Meeting saved."))
        return _to_circle(circle, f"meeting-{meeting.pk}")
    return _form_page(
        request, "circles/meeting.html", {"circle": circle, "form": form, "meeting": meeting}
    )


@require_http_methods(["GET", "POST"])
def moment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk, support=True)
    form = MomentForm(request.POST or None, circle=circle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.moment_mark(
                circle=circle,
                by=request.user,
                learnt=data["learnt"],
                noted_on=data["noted_on"],
                meeting=data["meeting"],
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Learning moment marked."))
            return _to_circle(circle, "moments")
    return _form_page(request, "circles/moment.html", {"circle": circle, "form": form})


@require_http_methods(["GET", "POST"])
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk)
    form = CircleActionForm(request.POST or None, circle=circle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                circle=circle,
                by=request.user,
                what=data["what"],
                owner=data["owner"],
                due_on=data["due_on"],
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Action added."))
            return _to_circle(circle, "actions")
    return _form_page(request, "circles/action.html", {"circle": circle, "form": form})


@require_POST
def action_done(request: AuthenticatedRequest, pk: int, circle_action_pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk)
    action = get_object_or_404(circle.actions, pk=circle_action_pk)
    services.action_done(action=action, by=request.user, request=request)
    messages.success(request, _("Action “%(what)s” done.") % {"what": action.what})
    return _to_circle(circle, "actions")


@require_http_methods(["GET", "POST"])
def document_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                circle=circle,
                by=request.user,
                title=data["title"],
                link=data["link"],
                examined=data["file"],
                request=request,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Document added."))
            return _to_circle(circle, "documents")
    return _form_page(
        request,
        "circles/document.html",
        {"circle": circle, "form": form, "scanner": scanning.configured()},
    )


@require_GET
def document_download(request: AuthenticatedRequest, pk: int, file_pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk)
    document = get_object_or_404(circle.documents.exclude(filename=""), pk=file_pk)
    data = bytes(document.content)
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=document.filename) or "attachment"
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
def summary(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle, _member = queries.member_of_or_404(request.user, pk, support=True)
    form = SummaryForm(
        request.POST or None,
        initial={"learnt": circle.summary_learnt, "happened": circle.summary_happened},
    )
    if request.method == "POST" and form.is_valid():
        services.summary_publish(
            circle=circle,
            by=request.user,
            learnt=form.cleaned_data["learnt"],
            happened=form.cleaned_data["happened"],
            request=request,
        )
        messages.success(request, _("Summary published. Anyone with the link can read it."))
        return _to_circle(circle, "summary")
    return _form_page(request, "circles/summary.html", {"circle": circle, "form": form})


# --- public pages ---------------------------------------------------------------------


@login_not_required
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "circles/public_list.html", {"circles": queries.all_published()})


@login_not_required
@require_GET
def public_summary(request: HttpRequest, public_id: str) -> HttpResponse:
    return render(request, "circles/public_summary.html", {"circle": queries.published(public_id)})
