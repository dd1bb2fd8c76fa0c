"""Receiving deliveries: partner files and API rows, in logged batches (corrected rows:
`corrections`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings as django_settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.jobs import JobRun, Superseded, job_start, serialise
from buurtkracht.core.models import Job, Organisation
from buurtkracht.signals.columns import readable
from buurtkracht.signals.models import (
    Delivery,
    Signal,
)
from buurtkracht.signals.parsing import (
    ParsedRow,
    RowError,
    SignalFileError,
    check_signal_file,
    clean_row,
    read_signal_file,
)
from buurtkracht.signals.services.batches import _remembered, _take_in_batch
from buurtkracht.signals.services.partners import outreach_settings, partner_kind_for
from buurtkracht.signals.stored import DeliveryContent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

# Rows per committed step; None: SIGNALS_BATCH_SIZE (tests set a small one).
BATCH_SIZE: int | None = None
Progress = Callable[[int, int], None]
# Reports are unique per address and month: steps of deliveries that run at the same
# moment take turns creating them (core.jobs.serialise) rather than collide.
REPORTS_LOCK = "signals.reports"
JOB_KIND = "signals.delivery"


@dataclass
class Outcome:
    delivery: Delivery
    already_delivered: bool = False
    rejected: list[ParsedRow] | None = None
    job: Job | None = None


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
    """Take in a partner's file here and now (the command line, tests). A file that cannot
    be read as a whole is recorded as a failed delivery with one clear message
    (SignalFileError is raised after that)."""
    outcome = _store_file(
        organisation, data, filename, user, upload_id, today, allow_unknown_columns
    )
    if not outcome.already_delivered:
        delivery_process(outcome.delivery, progress=progress, user=user, request=request)
    return outcome


def delivery_submit_file(
    *,
    organisation: Organisation,
    data: bytes,
    filename: str,
    user: User | None = None,
    upload_id: str = "",
    today: dt.date | None = None,
    allow_unknown_columns: bool = False,
) -> Outcome:
    """Store a partner's file and leave taking it in to a background job (the upload page):
    the request returns at once, the job's progress shows on the delivery's page."""
    outcome = _store_file(
        organisation, data, filename, user, upload_id, today, allow_unknown_columns
    )
    if outcome.already_delivered:
        return outcome
    # The file as a whole and its header are checked now, while the partner waits: a
    # column not recognised is named on the upload page before anything is taken in,
    # not later on the delivery page (the rows are the job's work).
    try:
        check_signal_file(
            data,
            filename,
            today=today or timezone.localdate(),
            allow_unknown_columns=allow_unknown_columns,
        )
    except SignalFileError as error:
        _file_refused(outcome.delivery, error, user, None, "")
        return outcome
    outcome.job = _start_job(outcome.delivery, user, filename)
    return outcome


def _store_file(
    organisation: Organisation,
    data: bytes,
    filename: str,
    user: User | None,
    upload_id: str,
    today: dt.date | None,
    allow_unknown_columns: bool = False,
) -> Outcome:
    partner_kind_for(organisation)  # only partners deliver signals
    checksum = hashlib.sha256(data).hexdigest()
    # The same file again, taken in or still being taken in (a double click): nothing twice.
    earlier = Delivery.objects.filter(
        Q(status=Delivery.Status.DONE)
        | Q(status=Delivery.Status.PROCESSING, content__isnull=False),
        organisation=organisation,
        checksum=checksum,
    ).first()
    if earlier is not None:
        return Outcome(earlier, already_delivered=True)
    with transaction.atomic():
        delivery = Delivery.objects.create(
            organisation=organisation,
            channel=Delivery.Channel.UPLOAD,
            filename=filename[:255],
            checksum=checksum,
            received_by=user,
            upload_id=upload_id,
        )
        DeliveryContent.objects.create(
            delivery=delivery,
            data=data,
            received_on=today or timezone.localdate(),
            allow_unknown_columns=allow_unknown_columns,
        )
    return Outcome(delivery)


def _file_refused(
    delivery: Delivery,
    error: SignalFileError,
    user: User | None,
    request: HttpRequest | None,
    username: str,
) -> None:
    """A file that cannot be taken in as a whole: the delivery says why, its stored
    content goes, and the look is logged (nobody's data was read into signals)."""
    with transaction.atomic():
        delivery.status = Delivery.Status.FAILED
        delivery.message = str(error)
        # Columns not recognised: named, so the upload page can offer to leave them out
        # (nothing is stored without the partner's choice).
        delivery.ignored_columns = getattr(error, "columns", [])
        delivery.save(update_fields=["status", "message", "ignored_columns"])
        DeliveryContent.objects.filter(delivery=delivery).delete()
        _log_delivery(delivery, user, request, [], username)


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
    """Take in rows that arrive one by one rather than as a file, here and now: an API
    batch (JSON objects with the documented field names) or rows a partner corrected on
    screen.

    `received_by` is the partner's account the delivery is shown as delivered by, when
    that is not the `user` acting (an API token's account)."""
    delivery = _store_rows(
        organisation, rows, channel, today, username, received_by or user, first_line
    )
    delivery_process(delivery, user=user, request=request)
    return Outcome(delivery, rejected=rejected_rows_of(delivery))


def rejected_rows_of(delivery: Delivery) -> list[ParsedRow]:
    """The rows of a delivery set aside, with their messages, in the order delivered."""
    return [
        ParsedRow(
            line=row.line,
            raw=row.raw,
            signal=None,
            errors=[RowError(e["field"], e["message"]) for e in row.errors],
        )
        for row in delivery.rejected_rows.order_by("line")
    ]


def delivery_submit_rows(
    *,
    organisation: Organisation,
    rows: Sequence[Mapping[str, object]],
    channel: str,
    username: str = "",
    received_by: User | None = None,
    today: dt.date | None = None,
) -> Outcome:
    """Store an API batch and leave taking it in to a background job (large batches)."""
    delivery = _store_rows(organisation, rows, channel, today, username, received_by, 1)
    return Outcome(delivery, job=_start_job(delivery, None, ""))


def _store_rows(
    organisation: Organisation,
    rows: Sequence[Mapping[str, object]],
    channel: str,
    today: dt.date | None,
    username: str,
    received_by: User | None,
    first_line: int,
) -> Delivery:
    partner_kind_for(organisation)
    stored = [
        {"line": first_line + offset, "raw": {k: _json_value(v) for k, v in raw.items()}}
        for offset, raw in enumerate(rows)
    ]
    raws = [{k: "" if v is None else readable(str(v)) for k, v in raw.items()} for raw in rows]
    checksum = hashlib.sha256(repr([sorted(r.items()) for r in raws]).encode()).hexdigest()
    with transaction.atomic():
        delivery = Delivery.objects.create(
            organisation=organisation, channel=channel, checksum=checksum, received_by=received_by
        )
        DeliveryContent.objects.create(
            delivery=delivery,
            rows=stored,
            received_on=today or timezone.localdate(),
            username=username[:80],
        )
    return delivery


def _json_value(value: object) -> object:
    """A value of an API row as JSON keeps it: an amount (Decimal) exactly, marked as one."""
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _from_json(value: object) -> object:
    if isinstance(value, dict) and _DECIMAL in value:
        return Decimal(value[_DECIMAL])
    return value


_DECIMAL = "$decimal"


def _parse_rows(
    organisation: Organisation,
    rows: Sequence[Mapping[str, object]],
    today: dt.date,
    first_line: int,
    lines: Sequence[int] | None = None,
) -> list[ParsedRow]:
    kind = partner_kind_for(organisation)
    parsed: list[ParsedRow] = []
    for offset, raw in enumerate(rows):
        signal, errors = clean_row(raw, today=today, default_partner_kind=kind)
        parsed.append(
            ParsedRow(
                line=lines[offset] if lines is not None else first_line + offset,
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
    return parsed


def _start_job(delivery: Delivery, user: User | None, filename: str) -> Job:
    from buurtkracht.signals.tasks import delivery_take_in

    return job_start(
        kind=JOB_KIND,
        task=delivery_take_in,
        started_by=user,
        object_id=delivery.pk,
        message=filename,
    )


def delivery_process(
    delivery: Delivery,
    *,
    run: JobRun | None = None,
    progress: Progress | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Take in a stored delivery, from where it stopped: every step of BATCH_SIZE rows is
    committed together with the point to resume from, so a run that is interrupted (a
    killed worker, a database restart) and started again ends as one clean run would —
    the same signals and reports, nothing twice. Called by the background job (`run`)
    or directly. Done, the stored file is deleted and the delivery logged once."""
    content = DeliveryContent.objects.filter(delivery=delivery).first()
    if content is None:  # taken in already (a task queued twice)
        return
    today = content.received_on
    username = content.username
    if run is not None and not username:
        user = delivery.received_by
    if content.rows is not None:
        parsed = _parse_rows(
            delivery.organisation,
            [{k: _from_json(v) for k, v in row["raw"].items()} for row in content.rows],
            today,
            1,
            lines=[row["line"] for row in content.rows],
        )
    else:
        kind = partner_kind_for(delivery.organisation)
        try:
            read = read_signal_file(
                bytes(content.data or b""),
                delivery.filename,
                today=today,
                default_partner_kind=kind,
                allow_unknown_columns=content.allow_unknown_columns,
            )
        except SignalFileError as error:
            with transaction.atomic():
                if run is not None:
                    run.hold()
                _file_refused(delivery, error, user, request, username)
            raise
        parsed = read.rows
        delivery.ignored_columns = read.ignored_columns
        delivery.message = " ".join(read.notes)  # how the file was read, for the partner
        delivery.save(update_fields=["ignored_columns", "message"])
    try:
        _take_in(delivery, parsed, today=today, progress=progress, run=run)
    except Exception as error:
        # A lost database or a run taken over: the next run resumes after the last step.
        if run is not None and isinstance(error, Superseded | OperationalError | InterfaceError):
            raise
        # Otherwise the steps before the failure are in and linked to residents: they are
        # logged, and the delivery says where it stopped. Delivering the file again
        # completes it (references taken in are counted, not added).
        delivery.refresh_from_db()
        delivery.status = Delivery.Status.FAILED
        delivery.message = _(
            "Processing stopped after line %(done)s of %(total)s. Deliver the file again: "
            "what was taken in is not added twice."
        ) % {"done": delivery.rows_done, "total": delivery.rows_total}
        delivery.save(update_fields=["status", "message"])
        DeliveryContent.objects.filter(delivery=delivery).delete()
        _log_delivery(delivery, user, request, _subjects(delivery), username)
        raise
    with transaction.atomic():
        if run is not None:
            run.hold()
        delivery.status = Delivery.Status.DONE
        delivery.save(update_fields=["status"])
        DeliveryContent.objects.filter(delivery=delivery).delete()
        _log_delivery(delivery, user, request, _subjects(delivery), username)


def _subjects(delivery: Delivery) -> list[int]:
    """The residents this delivery's signals were linked to with certainty."""
    return sorted(
        set(
            Signal.objects.filter(
                delivery=delivery,
                match_status=Signal.MatchStatus.AUTOMATIC,
                person__isnull=False,
            ).values_list("person_id", flat=True)
        )
    )


_COUNTS = ("rows_done", "rows_valid", "rows_rejected", "rows_duplicate", "rows_updated")


def _take_in(
    delivery: Delivery,
    rows: list[ParsedRow],
    *,
    today: dt.date,
    progress: Progress | None,
    run: JobRun | None = None,
) -> None:
    if delivery.rows_total != len(rows):
        delivery.rows_total = len(rows)
        delivery.save(update_fields=["rows_total"])
    settings = outreach_settings(delivery.organisation.municipality)
    rules = list(settings.rules.filter(active=True))
    remembered = _remembered(delivery.organisation)
    size = BATCH_SIZE or django_settings.SIGNALS_BATCH_SIZE
    start = delivery.rows_done
    if run is not None:
        run.progress(start, len(rows))
    while start < len(rows):
        batch = rows[start : start + size]
        with transaction.atomic():
            if run is not None:
                run.hold()
            current = Delivery.objects.select_for_update().get(pk=delivery.pk)
            if current.rows_done != start:  # another run took this step meanwhile
                raise Superseded
            serialise(REPORTS_LOCK)
            for name in _COUNTS:
                setattr(delivery, name, getattr(current, name))
            _take_in_batch(delivery, batch, settings, rules, remembered, today)
            delivery.rows_done = start + len(batch)
            delivery.save(update_fields=list(_COUNTS))
        start = delivery.rows_done
        if run is not None:
            run.progress(start, len(rows))
        if progress:
            progress(start, len(rows))


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
