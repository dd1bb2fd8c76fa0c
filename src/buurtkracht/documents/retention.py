"""Removing documents after the retention period (writes).

A document is a copy the worker needed for the help: a letter, an overview. Once the file
is closed (the plan's closure, `casework` "Dossier afsluiten") it is kept for the period
the municipality sets (BUURTKRACHT_DOCUMENTS_RETENTION_MONTHS, default 24) and then
removed with its content (AVG art. 5(1)(e), storage limitation). A file that is reopened
has no closing date and keeps its documents. A household without a plan has no closed
file and keeps its documents until the plan is closed.

The removal leaves counts behind: how many documents of how many households, and the audit
entry that names the residents whose documents went (not the titles: those go too).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from buurtkracht.audit.models import Action
from buurtkracht.audit.services import audit_record
from buurtkracht.documents.models import Document
from buurtkracht.households.models import Membership

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from buurtkracht.accounts.models import User

CHUNK = 500


@dataclass
class PurgeResult:
    cut_off: dt.date
    retention_months: int
    dry_run: bool = False
    documents: int = 0
    bytes: int = 0
    households: set[int] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of that month when shorter)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def purgeable_documents(cut_off: dt.date) -> QuerySet[Document]:
    """Documents on files closed before `cut_off` (and not reopened since)."""
    return Document.objects.filter(
        household__plan__closed_on__isnull=False, household__plan__closed_on__lt=cut_off
    )


@transaction.atomic
def documents_purge(
    *, today: dt.date | None = None, by: User | None = None, dry_run: bool = False
) -> PurgeResult:
    """Remove the documents of files closed longer than the retention period. Logged as
    one audit event naming the residents of those households; `dry_run` only counts."""
    today = today or timezone.localdate()
    months = settings.DOCUMENTS_RETENTION_MONTHS
    cut_off = months_before(today, months)
    result = PurgeResult(cut_off=cut_off, retention_months=months, dry_run=dry_run)
    rows = list(
        purgeable_documents(cut_off).order_by("pk").values_list("pk", "household_id", "size")
    )
    result.documents = len(rows)
    result.bytes = sum(size for _pk, _household, size in rows)
    result.households = {household for _pk, household, _size in rows}
    ids = [pk for pk, _household, _size in rows]
    households = sorted(result.households)
    for start in range(0, len(households), CHUNK):
        result.persons.update(
            Membership.objects.filter(household_id__in=households[start : start + CHUNK])
            .order_by()
            .values_list("person_id", flat=True)
            .distinct()
        )
    if dry_run or not ids:
        return result
    for start in range(0, len(ids), CHUNK):
        # The sealed content goes with its document (on_delete CASCADE).
        Document.objects.filter(pk__in=ids[start : start + CHUNK]).delete()
    audit_record(
        action=Action.DELETE,
        user=by,
        subjects=result.persons,
        reason="retention period for documents on closed files (AVG art. 5(1)(e))",
        details={
            "purge": "documents after retention",
            "cut_off": cut_off.isoformat(),
            "retention_months": months,
            "documents": result.documents,
            "households": len(result.households),
            "bytes": result.bytes,
        },
    )
    return result
