"""Receiving deliveries: partner files, API rows and corrected rows, in logged batches."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Organisation
from buurtkracht.signals.columns import CANONICAL_FIELDS, readable
from buurtkracht.signals.models import (
    Delivery,
    RejectedRow,
)
from buurtkracht.signals.parsing import (
    ParsedRow,
    RowError,
    SignalFileError,
    clean_row,
    read_signal_file,
)
from buurtkracht.signals.services.batches import _remembered, _take_in_batch
from buurtkracht.signals.services.partners import outreach_settings, partner_kind_for

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

BATCH_SIZE = 10_000
Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    delivery: Delivery
    already_delivered: bool = False
    rejected: list[ParsedRow] | None = None


def delivery_receive_file(
    *,
    organisation: Organisation,
    data: bytes,
    filename: str,
    user: User | None = None,
    request: HttpRequest | None = None,
    upload_id: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
    allow_unknown_columns: bool = False,
) -> Outcome:
    """Take in a partner's file. A file that cannot be read as a whole is recorded as a
    failed delivery with one clear message (SignalFileError is raised after that); so is a
    file with columns that are not recognised (UnknownColumnsError), unless the partner
    chose to leave them out (`allow_unknown_columns`)."""
    today = today or timezone.localdate()
    kind = partner_kind_for(organisation)
    checksum = hashlib.sha256(data).hexdigest()
    earlier = Delivery.objects.filter(
        organisation=organisation, checksum=checksum, status=Delivery.Status.DONE
    ).first()
    if earlier is not None:
        return Outcome(earlier, already_delivered=True)
    delivery = Delivery.objects.create(
        organisation=organisation,
        channel=Delivery.Channel.UPLOAD,
        filename=filename[:255],
        checksum=checksum,
        received_by=user,
        upload_id=upload_id,
    )
    try:
        parsed = read_signal_file(
            data,
            filename,
            today=today,
            default_partner_kind=kind,
            allow_unknown_columns=allow_unknown_columns,
        )
    except SignalFileError as error:
        delivery.status = Delivery.Status.FAILED
        delivery.message = str(error)
        delivery.save(update_fields=["status", "message"])
        _log_delivery(delivery, user, request, [])
        raise
    delivery.ignored_columns = parsed.ignored_columns
    delivery.message = " ".join(parsed.notes)  # how the file was read, for the partner
    delivery.save(update_fields=["ignored_columns", "message"])
    _take_in(delivery, parsed.rows, today=today, progress=progress, user=user, request=request)
    return Outcome(delivery)


def delivery_receive_rows(
    *,
    organisation: Organisation,
    rows: Sequence[Mapping[str, object]],
    channel: str,
    user: User | None = None,
    request: HttpRequest | None = None,
    today: dt.date | None = None,
    first_line: int = 1,
    username: str = "",
    received_by: User | None = None,
) -> Outcome:
    """Take in rows that arrive one by one rather than as a file: an API batch (JSON
    objects with the documented field names) or rows a partner corrected on screen.

    `received_by` is the partner's account the delivery is shown as delivered by, when
    that is not the `user` acting (an API token's account)."""
    today = today or timezone.localdate()
    kind = partner_kind_for(organisation)
    parsed: list[ParsedRow] = []
    for offset, raw in enumerate(rows):
        signal, errors = clean_row(raw, today=today, default_partner_kind=kind)
        parsed.append(
            ParsedRow(
                line=first_line + offset,
                raw={k: "" if v is None else readable(str(v)) for k, v in raw.items()},
                signal=signal,
                errors=errors,
            )
        )
    seen: dict[str, int] = {}
    for row in parsed:  # the same reference twice in one batch: the second is set aside
        if row.signal is None:
            continue
        first = seen.setdefault(row.signal.partner_reference, row.line)
        if first != row.line:
            row.errors.append(
                RowError(
                    "partner_reference",
                    _("Reference “%(ref)s” is in this delivery twice (first on line %(line)s).")
                    % {"ref": row.signal.partner_reference, "line": first},
                )
            )
            row.signal = None
    checksum = hashlib.sha256(repr([sorted(r.raw.items()) for r in parsed]).encode()).hexdigest()
    delivery = Delivery.objects.create(
        organisation=organisation,
        channel=channel,
        checksum=checksum,
        received_by=received_by or user,
    )
    _take_in(
        delivery, parsed, today=today, progress=None, user=user, request=request, username=username
    )
    return Outcome(delivery, rejected=[r for r in parsed if r.signal is None])


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


def _take_in(
    delivery: Delivery,
    rows: list[ParsedRow],
    *,
    today: dt.date,
    progress: Progress | None,
    user: User | None,
    request: HttpRequest | None,
    username: str = "",
) -> None:
    delivery.rows_total = len(rows)
    delivery.save(update_fields=["rows_total"])
    settings = outreach_settings(delivery.organisation.municipality)
    rules = list(settings.rules.filter(active=True))
    remembered = _remembered(delivery.organisation)
    subjects: set[int] = set()
    try:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            with transaction.atomic():
                subjects |= _take_in_batch(delivery, batch, settings, rules, remembered, today)
                delivery.rows_done = min(len(rows), start + len(batch))
                delivery.save(
                    update_fields=[
                        *("rows_done", "rows_valid", "rows_rejected"),
                        *("rows_duplicate", "rows_updated"),
                    ]
                )
            if progress:
                progress(delivery.rows_done, len(rows))
    except Exception:
        # The batches before the failure are in and linked to residents: they are logged,
        # and the delivery says where it stopped. Delivering the file again completes it
        # (references taken in are counted, not added).
        delivery.refresh_from_db()
        delivery.status = Delivery.Status.FAILED
        delivery.message = _(
            "Processing stopped after line %(done)s of %(total)s. Deliver the file again: "
            "what was taken in is not added twice."
        ) % {"done": delivery.rows_done, "total": delivery.rows_total}
        delivery.save(update_fields=["status", "message"])
        _log_delivery(delivery, user, request, sorted(subjects), username)
        raise
    delivery.status = Delivery.Status.DONE
    delivery.save(update_fields=["status"])
    _log_delivery(delivery, user, request, sorted(subjects), username)


def _log_delivery(
    delivery: Delivery,
    user: User | None,
    request: HttpRequest | None,
    subjects: list[int],
    username: str = "",
) -> None:
    audit_record(
        username=username,
        action=AuditAction.CREATE,
        user=user,
        request=request,
        subjects=subjects,
        obj=delivery,
        ground=Ground.ROLE,
        on_behalf_of=str(delivery.organisation),
        details={
            "channel": delivery.channel,
            "rows": delivery.rows_total,
            "valid": delivery.rows_valid,
            "set_aside": delivery.rows_rejected,
            "delivered_before": delivery.rows_duplicate,
            "new_arrears": delivery.rows_updated,
            "status": delivery.status,
        },
    )
