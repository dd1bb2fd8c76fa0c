"""Rows set aside that the partner corrects on screen: taken in as part of the original
delivery, its counts moved, the row kept for the record (writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.signals.columns import CANONICAL_FIELDS, readable
from buurtkracht.signals.models import Delivery, RejectedRow
from buurtkracht.signals.parsing import ParsedRow, RowError, clean_row
from buurtkracht.signals.services.batches import _remembered, _take_in_batch
from buurtkracht.signals.services.partners import outreach_settings, partner_kind_for

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


@dataclass
class RowCorrection:
    """What became of a row set aside that the partner corrected on screen.

    `status`: "taken_in" (a new signal in the original delivery), "delivered_before" (its
    reference came in meanwhile; nothing added twice), "still_wrong" (the messages are in
    `errors`, the values typed are kept on the row) or "done_before" (the row had been
    resolved already, by an earlier submit of the same correction)."""

    row: RejectedRow
    status: str
    errors: list[RowError]


def delivery_row_correct(
    *,
    row: RejectedRow,
    values: Mapping[str, object],
    user: User | None = None,
    request: HttpRequest | None = None,
    today: dt.date | None = None,
) -> RowCorrection:
    """Take in a row set aside, as corrected by the partner, as part of the ORIGINAL
    delivery: its counts move from "set aside" to "taken in" (or "delivered before"), and
    "corrected" goes up by one. The row is kept for the record, marked as resolved.

    The row is locked first, so a second submit of the same correction (a double click, a
    reload) finds it resolved and adds nothing. Only the row is locked: PostgreSQL refuses
    FOR UPDATE on the nullable side of an outer join, and the delivery's counts are
    changed by one UPDATE with F() expressions, which needs no lock of its own.

    A correction that is still wrong changes no count: the values typed and the new
    messages per field are kept on the row, so the partner sees both again."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = RejectedRow.objects.select_for_update().get(pk=row.pk)
        delivery = Delivery.objects.select_related("organisation").get(pk=locked.delivery_id)
        if locked.resolved_at is not None:
            return RowCorrection(locked, "done_before", [])
        kind = partner_kind_for(delivery.organisation)
        raw = {
            k: "" if values.get(k) is None else readable(str(values.get(k)))
            for k in CANONICAL_FIELDS
        }
        signal, errors = clean_row(raw, today=today, default_partner_kind=kind)
        parsed = ParsedRow(line=locked.line, raw=raw, signal=signal, errors=errors)
        settings = outreach_settings(delivery.organisation.municipality)
        before = (delivery.rows_valid, delivery.rows_duplicate, delivery.rows_updated)
        subjects = _take_in_batch(
            delivery,
            [parsed],
            settings,
            list(settings.rules.filter(active=True)),
            _remembered(delivery.organisation),
            today,
            set_aside=False,
        )
        if parsed.signal is None:
            locked.raw = raw
            locked.errors = [{"field": e.field, "message": e.message} for e in parsed.errors]
            locked.save(update_fields=["raw", "errors"])
            audit_record(
                action=AuditAction.UPDATE,
                user=user,
                request=request,
                obj=locked,
                ground=Ground.ROLE,
                on_behalf_of=str(delivery.organisation),
                details={"line": locked.line, "corrected": False, "errors": len(parsed.errors)},
            )
            return RowCorrection(locked, "still_wrong", parsed.errors)
        taken_in = delivery.rows_valid - before[0]
        delivered_before = delivery.rows_duplicate - before[1]
        updated = delivery.rows_updated - before[2]
        Delivery.objects.filter(pk=delivery.pk).update(
            rows_valid=F("rows_valid") + taken_in,
            rows_duplicate=F("rows_duplicate") + delivered_before,
            rows_updated=F("rows_updated") + updated,
            rows_rejected=Greatest(F("rows_rejected") - 1, 0),
            rows_corrected=F("rows_corrected") + 1,
        )
        locked.raw = raw
        locked.resolved_at = timezone.now()
        locked.resolution = (
            RejectedRow.Resolution.TAKEN_IN if taken_in else RejectedRow.Resolution.DELIVERED_BEFORE
        )
        locked.save(update_fields=["raw", "resolved_at", "resolution"])
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            request=request,
            subjects=sorted(subjects),
            obj=delivery,
            ground=Ground.ROLE,
            on_behalf_of=str(delivery.organisation),
            details={
                "corrected_row": locked.pk,
                "line": locked.line,
                "corrected": True,
                "valid": taken_in,
                "delivered_before": delivered_before,
                "new_arrears": updated,
            },
        )
        return RowCorrection(locked, str(locked.resolution), [])
