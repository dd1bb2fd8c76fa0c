"""Writes of documents: adding one to a file (checked, scanned, sealed, in one
transaction) and removing one. Reads are in `documents.queries`; removal after the
retention period in `documents.retention`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core import scanning
from buurtkracht.core.filetypes import Examined
from buurtkracht.documents.models import Document, DocumentContent
from buurtkracht.documents.sealing import seal
from buurtkracht.households.models import Household

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


def _scan(data: bytes) -> str:
    """The scan state to store; raises ValidationError (nothing stored) when the file is
    infected or the configured scanner gives no verdict (core.scanning)."""
    return Document.Scan.CLEAN if scanning.scan_upload(data) else Document.Scan.NOT_SCANNED


def document_add(
    *,
    household: Household,
    user: User,
    examined: Examined,
    title: str,
    kind: str,
    dated: dt.date | None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Document:
    """Add a document to `household`'s file: scanned where a scanner is configured,
    sealed, stored whole in one transaction with its audit entry, or not at all."""
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of document it is.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError(
            {"title": _("Give the document a title, for example “Letter from the landlord”.")}
        )
    scan = _scan(examined.data)
    with transaction.atomic():
        document = Document.objects.create(
            household=household,
            title=title,
            kind=kind,
            dated=dated,
            filename=examined.filename,
            content_type=examined.kind.content_type,
            size=len(examined.data),
            scan=scan,
            uploaded_by=user,
        )
        DocumentContent.objects.create(document=document, sealed=seal(document.pk, examined.data))
        audit_record(
            action=AuditAction.CREATE,
            user=user,
            request=request,
            subjects=household.current_member_ids(),
            obj=document,
            ground=ground,
            details={
                "document": document.pk,
                "kind": kind,
                "type": examined.kind.content_type,
                "size": len(examined.data),
                "scan": scan,
            },
        )
    return document


@transaction.atomic
def document_remove(
    *,
    document: Document,
    user: User,
    reason: str,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> None:
    """Remove a document from the file (added by mistake, to the wrong file), with the
    reason in the audit log. The content goes with it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the document is removed.")})
    household = document.household
    audit_record(
        action=AuditAction.DELETE,
        user=user,
        request=request,
        subjects=household.current_member_ids(),
        obj=document,
        ground=ground,
        reason=reason,
        details={"document": document.pk, "kind": document.kind, "title": document.title},
    )
    document.delete()
