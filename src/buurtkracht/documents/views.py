"""Pages of documents on a household file: adding one, downloading one, removing one.
The list is a section of the household page (`documents/_section.html`). Resident data
only through the guard: a user who may not read the file gets the 404 of a file that does
not exist; each download is logged like a look at the file, naming the document."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.core import scanning
from buurtkracht.core.forms import errors_to_form
from buurtkracht.documents.forms import DocumentForm, RemoveForm
from buurtkracht.documents.queries import document_bytes, document_of
from buurtkracht.documents.sealing import CannotOpen
from buurtkracht.documents.services import document_add, document_remove
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.visibility import can_write

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
@audited
def document_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request,
        pk,
        action=AuditAction.UPDATE if request.method == "POST" else AuditAction.READ,
        details={"page": "add a document"},
    )
    if not can_write(ground):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = document_add(
                household=household,
                user=request.user,
                examined=data["file"],
                title=data["title"],
                kind=data["kind"],
                dated=data["dated"],
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Document “%(title)s” added to the file.") % {"title": document.title},
            )
            return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "documents/new.html",
        {
            "household": household,
            "form": form,
            "scanner": scanning.configured(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@audited
def document_download(request: AuthenticatedRequest, pk: int, document_pk: int) -> HttpResponse:
    household, _ground = household_for_request(
        request, pk, details={"page": "document download", "document": document_pk}
    )
    document = document_of(household, document_pk)
    if document is None:
        raise Http404("No document found")
    try:
        data = document_bytes(document)
    except CannotOpen:
        logger.error("Document %s cannot be unsealed with the configured keys", document.pk)
        messages.error(
            request,
            _(
                "This document cannot be opened: the server's secret key has changed. Tell "
                "the functional administrator (docs/documents.md)."
            ),
        )
        return redirect("workspace:household", pk=household.pk)
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=document.filename) or "attachment"
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened by mistake in the browser all the same, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
@audited
def document_delete(request: AuthenticatedRequest, pk: int, document_pk: int) -> HttpResponse:
    household, ground = household_for_request(
        request,
        pk,
        action=AuditAction.UPDATE if request.method == "POST" else AuditAction.READ,
        details={"page": "remove a document", "document": document_pk},
    )
    if not can_write(ground):
        raise Http404
    document = document_of(household, document_pk)
    if document is None:
        raise Http404("No document found")
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_remove(
                document=document,
                user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
                ground=ground,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Document “%(title)s” removed from the file.") % {"title": document.title},
            )
            return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "documents/remove.html",
        {"household": household, "document": document, "form": form},
        status=400 if request.method == "POST" else 200,
    )
