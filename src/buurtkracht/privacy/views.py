"""The privacy officer's pages — the audit log, the consent register — and "who looked at
my file" for residents. They read `audit`'s data layer and the households' consents; every
page is itself a look at residents, logged through `@audited`."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.reauth import recent_auth_required
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.anchors import anchor_status
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.households.models import Consent, Person
from buurtkracht.privacy.forms import LogFilterForm
from buurtkracht.privacy.queries import export_rows, filtered_events, who_looked

PAGE_SIZE = 50


def persons_matching(name: str) -> list[int]:
    """Residents whose surname (with or without prefix) matches, for the log filter."""
    name = name.strip()
    if not name:
        return []
    return list(Person.objects.filter(surname__iexact=name).values_list("pk", flat=True)[:200])


def _filtered(
    request: AuthenticatedRequest,
) -> tuple[LogFilterForm, Any, list[int] | None, dict[str, str]]:
    form = LogFilterForm(request.GET or None)
    person_ids: list[int] | None = None
    terms: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        terms = {
            k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in data.items() if v
        }
        if data.get("resident"):
            person_ids = persons_matching(data["resident"])
        events = filtered_events(
            person_ids=person_ids,
            actor=data.get("worker") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actions=[data["action"]] if data.get("action") else None,
        )
    elif form.is_bound:
        events = AuditEvent.objects.none()
    else:
        events = filtered_events()
    return form, events, person_ids, terms


@require_GET
@role_required(Role.PRIVACY_OFFICER)
@audited
def log(request: AuthenticatedRequest) -> HttpResponse:
    form, events, person_ids, terms = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    # Reading the log is itself an event on the residents it shows.
    note_look(
        request,
        action=Action.AUDIT_READ,
        subjects=person_ids or [s for e in page.object_list for s in e.subject_ids],
        ground=Ground.ROLE,
        details={"filters": terms, "page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/log.html",
        # Whether the log still matches its anchors outside the database (audit.anchors).
        {"form": form, "page": page, "query": query.urlencode(), "anchors": anchor_status()},
    )


@require_GET
@role_required(Role.PRIVACY_OFFICER)
@recent_auth_required
@audited
def log_export(request: AuthenticatedRequest) -> StreamingHttpResponse:
    _form, events, person_ids, terms = _filtered(request)
    note_look(
        request,
        action=Action.EXPORT,
        subjects=person_ids or [],
        ground=Ground.ROLE,
        details={"export": "audit log", "filters": terms, "rows": events.count()},
    )

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in export_rows(events)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="logboek-{stamp}.csv"'
    return response


def _looks_page(
    request: AuthenticatedRequest, person: Person, ground: str, template: str
) -> HttpResponse:
    note_look(
        request,
        action=Action.AUDIT_READ,
        subjects=[person.pk],
        obj=person,
        ground=ground,
        details={"page": "who looked"},
    )
    return render(request, template, {"person": person, "days": who_looked(person.pk)})


@require_GET
@role_required(Role.PRIVACY_OFFICER)
@audited
def person_looks(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    return _looks_page(request, person, Ground.ROLE, "privacy/who_looked.html")


@require_GET
@audited
def my_looks(request: AuthenticatedRequest) -> HttpResponse:
    """The resident's own "who looked at my file" (principle 4: the resident can see it)."""
    person = request.user.person
    if person is None or not request.user.has_role(Role.RESIDENT):
        raise Http404
    return _looks_page(request, person, Ground.OWN_DATA, "privacy/who_looked.html")


@require_GET
@role_required(Role.PRIVACY_OFFICER)
@audited
def consent_register(request: AuthenticatedRequest) -> HttpResponse:
    """The privacy officer's view of the consent register: who agreed to what, recorded by
    whom, withdrawn when. Consent, not case content (Trust issue)."""
    surname = (request.GET.get("resident") or "").strip()
    consents = Consent.objects.select_related("person", "organisation", "recorded_by").order_by(
        "-recorded_at", "-id"
    )
    if surname:
        consents = consents.filter(person__surname__iexact=surname)
    page = Paginator(consents, PAGE_SIZE).get_page(request.GET.get("page"))
    note_look(
        request,
        action=Action.READ,
        subjects={c.person_id for c in page.object_list},
        ground=Ground.ROLE,
        details={"page": "consent register", "resident": surname, "page_number": page.number},
    )
    return render(
        request,
        "privacy/consent_register.html",
        {"page": page, "resident": surname, "query": urlencode({"resident": surname})},
    )
