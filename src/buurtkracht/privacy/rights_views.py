"""The resident's data rights (AVG art. 15 and 16, docs/data-rights.md): *Mijn gegevens*
(ask for a copy of everything, download it, ask for a correction) and the privacy
officer's list of open requests with their legal deadline. The requests are
`households.DataRequest`; the copy is made by `privacy/export_job.py`. Every page is a
look at the resident, logged through `@audited`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look, note_refusal
from buurtkracht.audit.models import Action, Ground
from buurtkracht.households.models import DataRequest, Person
from buurtkracht.households.rights import (
    data_request_answer,
    data_request_create,
    requests_for_officer,
    requests_of,
)
from buurtkracht.households.rights_forms import AnswerForm, CorrectionForm, DownloadReasonForm
from buurtkracht.privacy.export_job import export_start

FORMATS = {"pdf": ("application/pdf", "export_pdf"), "json": ("application/json", "export_json")}


def _resident(request: AuthenticatedRequest) -> Person:
    person = request.user.person
    if person is None or not request.user.has_role(Role.RESIDENT):
        raise Http404
    return person


def _file(data_request: DataRequest, fmt: str) -> HttpResponse:
    content_type, field = FORMATS[fmt]
    stamp = timezone.localtime(data_request.handled_at or timezone.now()).strftime("%Y%m%d")
    response = HttpResponse(bytes(getattr(data_request, field)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@audited
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    person = _resident(request)
    note_look(
        request,
        subjects=[person.pk],
        obj=person,
        ground=Ground.OWN_DATA,
        details={"page": "my data"},
    )
    return render(
        request,
        "privacy/my_data.html",
        {"person": person, "requests": requests_of(person), "today": timezone.localdate()},
    )


@require_POST
@audited
def my_data_copy(request: AuthenticatedRequest) -> HttpResponse:
    person = _resident(request)
    _data_request, job = export_start(person=person, user=request.user)
    return redirect("core:job", job.pk)


@require_GET
@audited
def my_data_download(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    person = _resident(request)
    data_request = DataRequest.objects.filter(
        pk=pk, person=person, kind=DataRequest.Kind.ACCESS
    ).first()
    if data_request is None or not data_request.ready or fmt not in FORMATS:
        note_refusal(
            request, action=Action.EXPORT, subjects=[person.pk], details={"requested_id": pk}
        )
        raise Http404
    note_look(
        request,
        action=Action.EXPORT,
        subjects=[person.pk],
        obj=data_request,
        ground=Ground.OWN_DATA,
        details={"download": fmt},
    )
    return _file(data_request, fmt)


@require_http_methods(["GET", "POST"])
@audited
def my_data_correction(request: AuthenticatedRequest) -> HttpResponse:
    person = _resident(request)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data_request_create(
            person=person,
            user=request.user,
            kind=DataRequest.Kind.CORRECTION,
            wrong=form.cleaned_data["wrong"],
            should_be=form.cleaned_data["should_be"],
        )
        messages.success(
            request,
            _("Your request has been sent. You get an answer within a month."),
        )
        return redirect("audit:my-data")
    return render(
        request,
        "privacy/correction.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
@role_required(Role.PRIVACY_OFFICER)
@audited
def data_requests(request: AuthenticatedRequest) -> HttpResponse:
    rows = list(requests_for_officer())
    note_look(
        request,
        subjects={r.person_id for r in rows},
        ground=Ground.ROLE,
        details={"page": "data requests"},
    )
    return render(
        request,
        "privacy/data_requests.html",
        {"rows": rows, "today": timezone.localdate()},
    )


def _detail(
    request: AuthenticatedRequest,
    data_request: DataRequest,
    *,
    form: AnswerForm | None = None,
    download_form: DownloadReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "privacy/data_request.html",
        {
            "data_request": data_request,
            "form": form or AnswerForm(),
            "download_form": download_form or DownloadReasonForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.PRIVACY_OFFICER)
@audited
def data_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(DataRequest.objects.select_related("person", "handled_by"), pk=pk)
    posted = request.method == "POST"
    note_look(
        request,
        action=Action.UPDATE if posted else Action.READ,
        subjects=[found.person_id],
        obj=found,
        ground=Ground.ROLE,
        details={"page": "data request"},
    )
    form = AnswerForm(request.POST or None)
    if posted and found.is_open and form.is_valid():
        data_request_answer(
            data_request=found,
            user=request.user,
            answer=form.cleaned_data["answer"],
            ground=Ground.ROLE,
        )
        messages.success(
            request, _("The request is marked handled; the resident reads the answer.")
        )
        return redirect("audit:data-requests")
    return _detail(request, found, form=form, status=400 if posted else 200)


@require_POST
@role_required(Role.PRIVACY_OFFICER)
@audited
def data_request_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The privacy officer opens a resident's copy when the resident asks (on paper, at
    the desk), with the reason in the log."""
    found = get_object_or_404(
        DataRequest.objects.select_related("person"), pk=pk, kind=DataRequest.Kind.ACCESS
    )
    fmt = request.POST.get("format", "pdf")
    form = DownloadReasonForm(request.POST)
    note_look(
        request,
        action=Action.EXPORT if form.is_valid() else Action.READ,
        subjects=[found.person_id],
        obj=found,
        ground=Ground.ROLE,
        details={
            "download": fmt,
            "reason": form.cleaned_data.get("reason", "") if form.is_valid() else "",
        },
    )
    if not form.is_valid() or not found.ready or fmt not in FORMATS:
        return _detail(request, found, download_form=form, status=400)
    return _file(found, fmt)
