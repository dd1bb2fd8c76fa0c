"""Documents of files closed longer than the retention period are removed, with counts and
one audit entry; open, reopened and recently closed files keep theirs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.casework.models import Plan
from buurtkracht.core import filetypes
from buurtkracht.core.filetypes import Examined
from buurtkracht.documents.models import Document, DocumentContent
from buurtkracht.documents.retention import documents_purge, months_before
from buurtkracht.documents.services import document_add
from buurtkracht.households.models import Household
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 6, 15)


def _file(personas: Personas, closed_on: dt.date | None, *, plan: bool = True) -> Household:
    household = factories.MembershipFactory.create().household
    if plan:
        Plan.objects.create(household=household, created_by=personas.worker, closed_on=closed_on)
    for title in ("Brief", "Overzicht"):
        document_add(
            household=household,
            user=personas.worker,
            examined=Examined(data=b"%PDF-1.4 x", kind=filetypes.PDF, filename="b.pdf"),
            title=title,
            kind="letter",
            dated=None,
        )
    return household


def test_months_before_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert months_before(dt.date(2027, 6, 15), 24) == dt.date(2025, 6, 15)
    assert months_before(dt.date(2027, 3, 31), 1) == dt.date(2027, 2, 28)


@override_settings(DOCUMENTS_RETENTION_MONTHS=24)
def test_documents_of_files_closed_long_ago_go_and_the_rest_stay(personas: Personas) -> None:
    old = _file(personas, dt.date(2025, 6, 14))
    recent = _file(personas, dt.date(2025, 6, 15))
    open_file = _file(personas, None)
    no_plan = _file(personas, None, plan=False)

    dry = documents_purge(today=TODAY, dry_run=True)
    assert (dry.documents, dry.households) == (2, {old.pk})
    assert Document.objects.count() == 8

    result = documents_purge(today=TODAY)
    assert result.documents == 2 and result.bytes == 20
    assert not Document.objects.filter(household=old).exists()
    assert DocumentContent.objects.count() == 6
    for kept in (recent, open_file, no_plan):
        assert Document.objects.filter(household=kept).count() == 2
    event = AuditEvent.objects.get(action=Action.DELETE)
    assert event.details["documents"] == 2 and event.details["households"] == 1
    assert set(event.subjects.values_list("person_id", flat=True)) == set(
        old.memberships.values_list("person_id", flat=True)
    )
    # Run again: nothing more to remove, nothing more logged.
    assert documents_purge(today=TODAY).documents == 0
    assert AuditEvent.objects.filter(action=Action.DELETE).count() == 1


@override_settings(DOCUMENTS_RETENTION_MONTHS=6)
def test_the_command_says_what_it_removes(personas: Personas) -> None:
    _file(personas, dt.date(2026, 1, 1))
    out = StringIO()
    call_command("purge_documents", "--dry-run", "--today", "2027-06-15", stdout=out)
    assert "2 documents (20 bytes) of 1 households would be removed" in out.getvalue()
    assert Document.objects.count() == 2
    out = StringIO()
    call_command("purge_documents", "--today", "2027-06-15", stdout=out)
    assert "Retention 6 months: files closed before 2026-12-15." in out.getvalue()
    assert "2 documents (20 bytes) of 1 households removed." in out.getvalue()
    assert Document.objects.count() == 0
