from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from buurtkracht.core.jobs import job_status, kind_label, may_follow
from buurtkracht.core.models import Job


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the icon that
    base.html names. Looked up per request, so production's hashed file name is used."""
    response = HttpResponseRedirect(static("buurtkracht/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the smoke test: the app runs and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def _job_for(request: HttpRequest, pk: int) -> Job:
    """The job, for its starter and those allowed to see its result; others get a 404
    (not 403: the page does not confirm that the job exists)."""
    job = Job.objects.filter(pk=pk).first()
    if job is None or not may_follow(request.user, job):
        raise Http404
    return job


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a background job; it updates itself (job.js), and says why when
    it failed."""
    job = _job_for(request, pk)
    return render(
        request,
        "core/job.html",
        {"job": job, "label": kind_label(job), "status": job_status(job)},
    )


@require_GET
def job_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    response = JsonResponse(job_status(_job_for(request, pk)))
    response["Cache-Control"] = "no-store"
    return response
