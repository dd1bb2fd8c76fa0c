"""The register page of the functional administrator: upload a BRP extract, follow the
background job that takes it in, and see what each extract changed (docs/register.md)."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS
from buurtkracht.core.jobs import job_status
from buurtkracht.core.models import Job
from buurtkracht.households.models import RegisterExtract
from buurtkracht.households.register_jobs import JOB_KIND, extract_submit


class ExtractForm(forms.Form):
    file = forms.FileField(
        label=_("Register extract (JSON Lines)"),
        help_text=_("One person per line, in the shape described in the documentation."),
        error_messages={"required": _("Choose the extract to take in.")},
    )
    on = forms.DateField(
        label=_("Date of the extract"),
        input_formats=DATE_FORMATS,
        validators=[validators.HAPPENED],  # up to today, ten years back at most
        help_text=_("Moves and departures the extract gives no date for count from this day."),
        error_messages={"invalid": _("Type the date as 17-05-2026.")},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.FUNCTIONAL_ADMIN)
def register_extracts(request: AuthenticatedRequest) -> HttpResponse:
    form = ExtractForm(
        request.POST or None,
        request.FILES or None,
        initial={"on": timezone.localdate().strftime("%d-%m-%Y")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = extract_submit(
            data=upload.read(),
            filename=upload.name or "",
            on=form.cleaned_data["on"],
            user=request.user,
        )
        return redirect(reverse("core:job", args=[job.pk]))
    return render(
        request,
        "households/register_extracts.html",
        {"form": form, "extracts": RegisterExtract.objects.select_related("uploaded_by")[:20]},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@role_required(Role.FUNCTIONAL_ADMIN)
def register_extract(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    extract = get_object_or_404(RegisterExtract, pk=pk)
    job = Job.objects.filter(kind=JOB_KIND, object_id=extract.pk).order_by("-pk").first()
    return render(
        request,
        "households/register_extract.html",
        {
            "extract": extract,
            "job": job,
            "status": job_status(job) if job else None,
            "counts": extract.counts,
        },
    )
