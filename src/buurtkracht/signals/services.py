"""Taking in signals: read, validate, match, bundle, prioritise and route (writes).

A delivery runs in batches, each in a transaction of its own, so that the upload page and
the command line can show progress while it runs, and a batch that fails loses only
itself. Delivering the same file twice creates nothing twice: the checksum finds the
earlier delivery, and a partner reference already taken in is counted, not added again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Municipality, Organisation, Team
from buurtkracht.core.numbers import format_money, to_decimal
from buurtkracht.core.queries import neighbourhood_for
from buurtkracht.households.models import Involvement, Membership, Person
from buurtkracht.signals import matching
from buurtkracht.signals.columns import CANONICAL_FIELDS
from buurtkracht.signals.matching.candidates import years_before
from buurtkracht.signals.models import (
    Delivery,
    MatchDecision,
    OutreachSettings,
    PartnerKind,
    PriorityRule,
    RejectedRow,
    Report,
    Signal,
)
from buurtkracht.signals.parsing import (
    CleanSignal,
    ParsedRow,
    RowError,
    SignalFileError,
    clean_row,
    read_signal_file,
)

BATCH_SIZE = 10_000

# The partner kinds of organisations that must deliver signals (Wgs), and their signal kind.
PARTNER_KIND_OF_ORGANISATION = {
    Organisation.Kind.HOUSING_CORPORATION: PartnerKind.HOUSING,
    Organisation.Kind.ENERGY_SUPPLIER: PartnerKind.ENERGY,
    Organisation.Kind.WATER_COMPANY: PartnerKind.WATER,
    Organisation.Kind.HEALTH_INSURER: PartnerKind.HEALTH_INSURER,
}

# The rule set a municipality starts with; the functional admin adjusts it (Beheer).
DEFAULT_RULES: tuple[tuple[str, Decimal | None, int], ...] = (
    (PriorityRule.Condition.END_OF_SUPPLY_WITHIN, Decimal(30), 4),
    (PriorityRule.Condition.HOUSING_PARTNER, None, 3),
    (PriorityRule.Condition.SEVERAL_PARTNERS, None, 3),
    (PriorityRule.Condition.AMOUNT_AT_LEAST, Decimal(1000), 2),
    (PriorityRule.Condition.TERMS_AT_LEAST, Decimal(3), 2),
    (PriorityRule.Condition.CONSECUTIVE, None, 2),
    (PriorityRule.Condition.CHILDREN, None, 2),
    (PriorityRule.Condition.OPEN_FILE, None, 1),
)

Progress = Callable[[int, int], None]


def outreach_settings(municipality: Municipality | None = None) -> OutreachSettings:
    """The municipality's outreach settings, made with the default rules the first time."""
    municipality = municipality or Municipality.objects.order_by("pk").first()
    if municipality is None:
        raise ValidationError(_("Set up the municipality first."))
    settings, created = OutreachSettings.objects.get_or_create(municipality=municipality)
    if created:
        PriorityRule.objects.bulk_create(
            PriorityRule(settings=settings, condition=c, threshold=t, points=p)
            for c, t, p in DEFAULT_RULES
        )
    return settings


def address_key(postcode: str, house_number: int, letter: str = "", addition: str = "") -> str:
    """One key per address as partners write it: 12A, 12-a and 12 a are the same door."""
    return f"{postcode}|{matching.house_key(house_number, letter, addition)}"


def add_working_days(day: dt.date, days: int) -> dt.date:
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def partner_kind_for(organisation: Organisation) -> str:
    """The signal kind of a partner organisation; refuses organisations that are none."""
    kind = PARTNER_KIND_OF_ORGANISATION.get(organisation.kind)  # type: ignore[call-overload]
    if kind is None:
        raise PermissionDenied(
            _(
                "%(organisation)s is not registered as a partner that delivers signals "
                "(housing corporation, energy supplier, water company or health insurer)."
            )
            % {"organisation": organisation}
        )
    return str(kind)


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
    user: Any = None,
    request: Any = None,
    upload_id: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> Outcome:
    """Take in a partner's file. A file that cannot be read as a whole is recorded as a
    failed delivery with one clear message (SignalFileError is raised after that)."""
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
        parsed = read_signal_file(data, filename, today=today, default_partner_kind=kind)
    except SignalFileError as error:
        delivery.status = Delivery.Status.FAILED
        delivery.message = str(error)
        delivery.save(update_fields=["status", "message"])
        _log_delivery(delivery, user, request, [])
        raise
    delivery.ignored_columns = parsed.ignored_columns
    delivery.save(update_fields=["ignored_columns"])
    _take_in(delivery, parsed.rows, today=today, progress=progress, user=user, request=request)
    return Outcome(delivery)


def delivery_receive_rows(
    *,
    organisation: Organisation,
    rows: Sequence[Mapping[str, object]],
    channel: str,
    user: Any = None,
    request: Any = None,
    today: dt.date | None = None,
    first_line: int = 1,
    username: str = "",
    received_by: Any = None,
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
                raw={k: "" if v is None else str(v) for k, v in raw.items()},
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
    user: Any = None,
    request: Any = None,
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
        raw = {k: "" if values.get(k) is None else str(values.get(k)) for k in CANONICAL_FIELDS}
        signal, errors = clean_row(raw, today=today, default_partner_kind=kind)
        parsed = ParsedRow(line=locked.line, raw=raw, signal=signal, errors=errors)
        settings = outreach_settings(delivery.organisation.municipality)
        before = (delivery.rows_valid, delivery.rows_duplicate)
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
        Delivery.objects.filter(pk=delivery.pk).update(
            rows_valid=F("rows_valid") + taken_in,
            rows_duplicate=F("rows_duplicate") + delivered_before,
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
            },
        )
        return RowCorrection(locked, str(locked.resolution), [])


def _take_in(
    delivery: Delivery,
    rows: list[ParsedRow],
    *,
    today: dt.date,
    progress: Progress | None,
    user: Any,
    request: Any,
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
                    update_fields=["rows_done", "rows_valid", "rows_rejected", "rows_duplicate"]
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
    delivery: Delivery, user: Any, request: Any, subjects: list[int], username: str = ""
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
            "status": delivery.status,
        },
    )


def _remembered(organisation: Organisation) -> dict[matching.DecisionKey, int | None]:
    decisions: dict[matching.DecisionKey, int | None] = {}
    for key, person_id in MatchDecision.objects.filter(organisation=organisation).values_list(
        "key", "person_id"
    ):
        name, postcode, house = key.split("\x1f")
        decisions[(organisation.pk, name, postcode, house)] = person_id
    return decisions


def stored_decision_key(key: matching.DecisionKey) -> str:
    return "\x1f".join(key[1:])


def _take_in_batch(
    delivery: Delivery,
    rows: list[ParsedRow],
    settings: OutreachSettings,
    rules: list[PriorityRule],
    remembered: Mapping[matching.DecisionKey, int | None],
    today: dt.date,
    *,
    set_aside: bool = True,
) -> set[int]:
    """Take in one batch; rows with mistakes are set aside (unless `set_aside` is False:
    a corrected row that is still wrong stays the one row it was)."""
    organisation = delivery.organisation
    clean = [r for r in rows if r.signal is not None]
    known = set(
        Signal.objects.filter(
            organisation=organisation,
            partner_reference__in=[r.signal.partner_reference for r in clean if r.signal],
        ).values_list("partner_reference", flat=True)
    )
    # A partner delivers the signals of its own kind: an energy signal from a housing
    # corporation is a mistake in the file, not a signal to act on.
    own_kind = partner_kind_for(organisation)
    for row in clean:
        assert row.signal is not None
        if row.signal.partner_kind and row.signal.partner_kind != own_kind:
            row.errors.append(
                RowError(
                    "partner_kind",
                    _(
                        "%(organisation)s delivers %(own)s signals, not “%(kind)s”. "
                        "Correct the kind."
                    )
                    % {
                        "organisation": organisation,
                        "own": PartnerKind(own_kind).label,
                        "kind": row.signal.partner_kind,
                    },
                )
            )
            row.signal = None
        elif errors := _beyond_limits(row.signal):
            row.errors.extend(errors)
            row.signal = None
    clean = [r for r in clean if r.signal is not None]
    rejected = [r for r in rows if r.signal is None]
    fresh: list[CleanSignal] = []
    for row in clean:
        assert row.signal is not None
        if row.signal.partner_reference in known:
            delivery.rows_duplicate += 1
        else:
            fresh.append(row.signal)
    if set_aside:
        RejectedRow.objects.bulk_create(
            RejectedRow(
                delivery=delivery,
                line=r.line,
                raw=r.raw,
                errors=[{"field": e.field, "message": e.message} for e in r.errors],
            )
            for r in rejected
        )
        delivery.rows_rejected += len(rejected)
    delivery.rows_valid += len(fresh)
    if not fresh:
        return set()

    index = matching.load_candidates_for(fresh, on=today)
    results = [
        matching.match_signal(s, index, remembered, organisation_id=organisation.pk) for s in fresh
    ]
    reports = _reports_for(fresh, results, settings, today)
    status_of = {
        matching.MatchStatus.AUTOMATIC: Signal.MatchStatus.AUTOMATIC.value,
        matching.MatchStatus.REVIEW: Signal.MatchStatus.REVIEW.value,
        matching.MatchStatus.NONE: Signal.MatchStatus.NO_MATCH.value,
    }
    now = timezone.now()
    # Plain rows, not model instances: a national month is 75,000 of them.
    signal_rows: list[dict[str, Any]] = []
    row_reports: list[Report] = []
    by_new: dict[int, list[_PriorityFacts]] = defaultdict(list)
    for clean_signal, result in zip(fresh, results, strict=True):
        report = reports[
            (
                address_key(
                    clean_signal.postcode,
                    clean_signal.house_number,
                    clean_signal.house_letter,
                    clean_signal.addition,
                ),
                _month(clean_signal.signal_date),
            )
        ]
        values = {f: getattr(clean_signal, f) for f in SIGNAL_FIELDS}
        values.update(
            delivery_id=delivery.pk,
            organisation_id=organisation.pk,
            person_id=result.person_id if result.status != matching.MatchStatus.NONE else None,
            match_status=status_of[result.status],
            match_confidence=result.confidence,
            match_reasons=list(result.reasons),
            match_alternatives=[list(a) for a in result.alternatives],
            created_at=now,
        )
        signal_rows.append(values)
        row_reports.append(report)
        if report.pk is None:
            by_new[id(report)].append(_PriorityFacts(*(values[f] for f in _PriorityFacts._fields)))
    # New reports get their priority from this batch's signals before they are stored (one
    # insert, no update); reports of earlier deliveries that got a signal are recomputed.
    new = [r for r in reports.values() if r.pk is None]
    existing = [r for r in reports.values() if r.pk is not None]
    # A new signal on a report closed without help puts it back on the team's list: the
    # arrears go on, and a closed report is on nobody's list.
    reopen = [
        r.pk
        for r in existing
        if r.status == Report.Status.CLOSED and r.outcome != Report.Outcome.ACCEPTED
    ]
    if reopen:
        Report.objects.filter(pk__in=reopen).update(
            status=Report.Status.OPEN,
            outcome="",
            outcome_note="",
            closed_at=None,
            first_attempt_at=None,
            first_attempt_due=add_working_days(today, settings.first_attempt_working_days),
        )
    _prioritise(new, lambda r: by_new[id(r)], rules=rules, today=today)
    _insert(Report, new)
    for values, report in zip(signal_rows, row_reports, strict=True):
        values["report_id"] = report.pk
    _insert_signals(signal_rows)
    reports_prioritise(existing, rules=rules, today=today)
    return {
        r["person_id"] for r in signal_rows if r["person_id"] and r["match_status"] == "automatic"
    }


def _insert_signals(rows: list[dict[str, Any]]) -> None:
    if connection.vendor != "postgresql":
        Signal.objects.bulk_create([Signal(**row) for row in rows], batch_size=1000)
        return
    json_fields = {"match_reasons", "match_alternatives"}
    names = list(rows[0]) if rows else []
    by_attname = {f.attname: f for f in Signal._meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {Signal._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    f.get_db_prep_save(row[name], connection) if name in json_fields else row[name]
                    for name, f in zip(names, fields, strict=True)
                ]
            )


_MAX_AMOUNT = Decimal("99999999.99")  # what the amount column holds


def _text_limits() -> list[tuple[str, int]]:
    limits = []
    for field in Signal._meta.concrete_fields:
        limit = getattr(field, "max_length", None)
        if field.attname in SIGNAL_FIELDS and isinstance(limit, int):
            limits.append((field.attname, limit))
    return limits


def _beyond_limits(signal: CleanSignal) -> list[RowError]:
    """Values longer or larger than the register keeps: set aside with a message, rather
    than failing the whole batch in the database."""
    errors = []
    for name, limit in _TEXT_LIMITS:
        value = getattr(signal, name)
        if isinstance(value, str) and len(value) > limit:
            errors.append(
                RowError(
                    name,
                    _("This value is %(length)s characters long; at most %(limit)s fit.")
                    % {"length": len(value), "limit": limit},
                )
            )
    if signal.amount is not None and signal.amount > _MAX_AMOUNT:
        errors.append(RowError("amount", _("The amount is too large. Check the amount.")))
    return errors


def _insert(model: Any, objects: Sequence[Any]) -> None:
    """Insert new rows. On PostgreSQL through COPY, with ids drawn from the table's
    sequence first (so signals can point at their new reports): a national month is
    75,000 signals, and Django's bulk insert spends most of its time quoting arrays in
    Python. Elsewhere (SQLite) bulk_create, which is fast there."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=1000)
        return
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        for obj in objects:  # auto_now_add and the like, as save() would
            for f in fields:
                if getattr(f, "auto_now_add", False):
                    setattr(obj, f.attname, f.pre_save(obj, add=True))
        prepared = [(f.attname, f.get_internal_type() == "JSONField", f) for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [
                        f.get_db_prep_save(getattr(obj, name), connection)
                        if is_json
                        else getattr(obj, name)
                        for name, is_json, f in prepared
                    ]
                )


# Every field of the documented column set is stored on the signal as it was cleaned.
SIGNAL_FIELDS = CANONICAL_FIELDS


def _reports_for(
    signals: list[CleanSignal],
    results: list[matching.MatchResult],
    settings: OutreachSettings,
    today: dt.date,
) -> dict[tuple[str, dt.date], Report]:
    """The report of every (address, month) in the batch: existing ones, and new ones (not
    stored yet) routed to the team of the address's neighbourhood."""
    wanted: dict[tuple[str, dt.date], tuple[CleanSignal, matching.MatchResult]] = {}
    for signal, result in zip(signals, results, strict=True):
        key = address_key(
            signal.postcode, signal.house_number, signal.house_letter, signal.addition
        )
        month = _month(signal.signal_date)
        current = wanted.get((key, month))
        # Prefer a certain link to a household, then the earliest signal.
        certain = result.status == matching.MatchStatus.AUTOMATIC and result.household_id
        if current is None or (certain and current[1].status != matching.MatchStatus.AUTOMATIC):
            wanted[(key, month)] = (signal, result)
    keys = {address for address, _m in wanted}
    found: dict[tuple[str, dt.date], Report] = {}
    for report in Report.objects.filter(address_key__in=keys, month__in={m for _k, m in wanted}):
        found[(report.address_key, report.month)] = report
    missing = [k for k in wanted if k not in found]
    if missing:
        earliest_earlier = _earlier_reports(keys, min(m for _k, m in missing))
        batch_months: dict[str, list[dt.date]] = defaultdict(list)
        for address, month in wanted:
            batch_months[address].append(month)
        teams = _teams_of_neighbourhoods(
            {wanted[k][1].neighbourhood_id for k in missing if wanted[k][1].neighbourhood_id}
        )
        due = add_working_days(today, settings.first_attempt_working_days)
        new = []
        for wanted_key in missing:
            signal, result = wanted[wanted_key]
            neighbourhood_id = result.neighbourhood_id
            if neighbourhood_id is None and result.address_id is None:
                area = neighbourhood_for(postcode=signal.postcode, house_number=signal.house_number)
                neighbourhood_id = area.pk if area else None
                teams.update(_teams_of_neighbourhoods({neighbourhood_id} - {None}))
            # Earlier months at this address: stored reports, and this batch's own.
            months = [*earliest_earlier.get(wanted_key[0], ()), *batch_months[wanted_key[0]]]
            month = wanted_key[1]
            new.append(
                Report(
                    address_key=wanted_key[0],
                    month=month,
                    address_id=result.address_id,
                    # Only a certain link ties the report to a household: a proposal on
                    # the review list, or the household that happens to live at the
                    # address of a signal about somebody else, must not reach that file.
                    household_id=(
                        result.household_id
                        if result.status == matching.MatchStatus.AUTOMATIC
                        else None
                    ),
                    neighbourhood_id=neighbourhood_id,
                    team_id=teams.get(neighbourhood_id) if neighbourhood_id else None,
                    consecutive=any(_months_back(month, 6) <= m < month for m in months),
                    first_signal_date=signal.signal_date,
                    first_attempt_due=due,
                )
            )
        for report in new:
            found[(report.address_key, report.month)] = report
    return found


def _earlier_reports(keys: Iterable[str], first_month: dt.date) -> dict[str, list[dt.date]]:
    earlier: dict[str, list[dt.date]] = defaultdict(list)
    for key, month in Report.objects.filter(
        address_key__in=set(keys), month__gte=_months_back(first_month, 6)
    ).values_list("address_key", "month"):
        earlier[key].append(month)
    return earlier


def _teams_of_neighbourhoods(ids: set[Any]) -> dict[int, int]:
    """Each neighbourhood's serving team (the first, when two teams share one)."""
    teams: dict[int, int] = {}
    for area_id, team_id in (
        Team.neighbourhoods.through.objects.filter(area_id__in=ids)
        .order_by("team_id")
        .values_list("area_id", "team_id")
    ):
        teams.setdefault(area_id, team_id)
    return teams


# Priority ------------------------------------------------------------------------------------

R_HOUSING = gettext_noop("a housing corporation reports: risk of eviction")
R_AMOUNT = gettext_noop("arrears of %(amount)s (at least %(threshold)s)")
# The same reason as stored before amounts were formatted at display time.
R_AMOUNT_BEFORE = "arrears of € %(amount)s (at least € %(threshold)s)"
R_TERMS = gettext_noop("%(terms)s missed terms (at least %(threshold)s)")
R_PARTNERS = gettext_noop("signals from %(count)s partners")
R_CONSECUTIVE = gettext_noop("a signal at this address in the previous six months")
R_END_OF_SUPPLY = gettext_noop("end of supply on %(date)s (within %(threshold)s days)")
R_CHILDREN = gettext_noop("children in the household")
R_OPEN_FILE = gettext_noop("the household has an open file")


def reports_prioritise(
    reports: Iterable[Report], *, rules: list[PriorityRule], today: dt.date
) -> None:
    """Recompute `multiple` and the priority with its reasons for stored reports (after a
    new signal joined them, or a match decision changed their household)."""
    reports = list(reports)
    if not reports:
        return
    by_report: dict[int, list[Any]] = defaultdict(list)
    for row in Signal.objects.filter(report__in=reports).values_list(
        "report_id", *_PriorityFacts._fields
    ):
        by_report[row[0]].append(_PriorityFacts(*row[1:]))
    _prioritise(reports, lambda r: by_report.get(r.pk, []), rules=rules, today=today)
    # One prepared statement run for every report: Django's bulk_update builds a CASE per
    # row, which costs seconds for a few thousand reports.
    reasons_field = Report._meta.get_field("priority_reasons")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Report._meta.db_table} SET multiple = %s, priority = %s, "  # noqa: S608
            "priority_reasons = %s WHERE id = %s",
            [
                (
                    r.multiple,
                    r.priority,
                    reasons_field.get_db_prep_save(r.priority_reasons, connection),
                    r.pk,
                )
                for r in reports
            ],
        )


class _PriorityFacts(NamedTuple):
    """What the rules read of a signal (a stored one is read as this, not as a model)."""

    organisation_id: int
    partner_kind: str
    amount: Decimal | None
    missed_terms: int | None
    end_of_supply_date: dt.date | None


def _prioritise(
    reports: list[Report],
    signals_of: Callable[[Report], list[Any]],
    *,
    rules: list[PriorityRule],
    today: dt.date,
) -> None:
    """Set `multiple`, `priority` and `priority_reasons` from the rule set. Each reason is
    kept with its points, so the page shows how the sum came about."""
    household_ids = {r.household_id for r in reports if r.household_id}
    with_children = _households_with_children(household_ids, today) if household_ids else set()
    with_open_file = (
        set(
            Involvement.objects.filter(
                household_id__in=household_ids, kind=Involvement.Kind.LEAD, end_date__isnull=True
            ).values_list("household_id", flat=True)
        )
        if household_ids
        else set()
    )
    active = [
        (
            RULES[rule.condition],
            None if rule.threshold is None else float(rule.threshold),
            "" if rule.threshold is None else f"{rule.threshold:.0f}",
            rule.points,
        )
        for rule in rules
    ]
    for report in reports:
        signals = signals_of(report)
        report.multiple = len(signals) > 1
        facts = _facts(report, signals, with_children, with_open_file)
        reasons: list[dict[str, Any]] = []
        for check, threshold, text, points in active:
            reason = check(facts, threshold, text, today)
            if reason is not None:
                reasons.append({"text": reason[0], "args": reason[1], "points": points})
        report.priority = sum(r["points"] for r in reasons)
        report.priority_reasons = reasons


def _households_with_children(ids: set[int], today: dt.date) -> set[int]:
    """Households with a child (by role or age). Two index lookups — members by household,
    then the members' dates of birth by id — rather than a join the planner may answer by
    scanning every person in town."""
    adult_born_before = years_before(today, 18)  # safe on 29 February
    members = list(
        Membership.objects.filter(household_id__in=ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("household_id", "person_id", "role")
    )
    children = {h for h, _p, role in members if role == Membership.Role.CHILD}
    young = set(
        Person.objects.filter(
            pk__in=[p for h, p, _r in members if h not in children],
            date_of_birth__gt=adult_born_before,
        ).values_list("pk", flat=True)
    )
    return children | {h for h, p, _r in members if p in young}


@dataclass(slots=True)
class _ReportFacts:
    """What the rules look at, gathered once per report."""

    housing: bool
    total: Decimal
    terms: int
    partners: int
    end_of_supply: dt.date | None
    consecutive: bool
    children: bool
    open_file: bool


def _facts(
    report: Report, signals: list[Any], with_children: set[int], with_open_file: set[int]
) -> _ReportFacts:
    ends = [s.end_of_supply_date for s in signals if s.end_of_supply_date]
    return _ReportFacts(
        housing=any(s.partner_kind == "housing" for s in signals),
        total=sum((s.amount for s in signals if s.amount), Decimal(0)),
        terms=max((s.missed_terms or 0 for s in signals), default=0),
        partners=len({s.organisation_id for s in signals}),
        end_of_supply=min(ends) if ends else None,
        consecutive=report.consecutive,
        children=report.household_id in with_children,
        open_file=report.household_id in with_open_file,
    )


Reason = tuple[str, dict[str, Any]] | None
# A rule's check gets the report's facts, the threshold (as a number, and as the text the
# reason shows) and today.
_Rule = Callable[[_ReportFacts, float | None, str, dt.date], Reason]


def _end_of_supply(f: _ReportFacts, t: float | None, text: str, today: dt.date) -> Reason:
    if t is None or f.end_of_supply is None:
        return None
    if f.end_of_supply > today + dt.timedelta(days=int(t)):
        return None
    return R_END_OF_SUPPLY, {"date": f"{f.end_of_supply:%d-%m-%Y}", "threshold": text}


RULES: dict[str, _Rule] = {
    "housing_partner": lambda f, t, text, today: (R_HOUSING, {}) if f.housing else None,
    "amount_at_least": lambda f, t, text, today: (
        (R_AMOUNT, {"amount": str(f.total), "threshold": text})
        if t is not None and f.total >= t
        else None
    ),
    "terms_at_least": lambda f, t, text, today: (
        (R_TERMS, {"terms": f.terms, "threshold": text}) if t is not None and f.terms >= t else None
    ),
    "several_partners": lambda f, t, text, today: (
        (R_PARTNERS, {"count": f.partners}) if f.partners > 1 else None
    ),
    "consecutive": lambda f, t, text, today: (R_CONSECUTIVE, {}) if f.consecutive else None,
    "end_of_supply_within": _end_of_supply,
    "children": lambda f, t, text, today: (R_CHILDREN, {}) if f.children else None,
    "open_file": lambda f, t, text, today: (R_OPEN_FILE, {}) if f.open_file else None,
}


def reason_text(reason: Mapping[str, Any]) -> str:
    """A stored priority reason in the active language. Amounts are stored as plain
    decimals and written here in the page's money format (core.numbers)."""
    text, args = reason["text"], reason.get("args")
    if text in (R_AMOUNT, R_AMOUNT_BEFORE) and args:
        text = R_AMOUNT
        args = {key: format_money(to_decimal(value)) for key, value in args.items()}
    return _(text) % args if args else _(text)


_TEXT_LIMITS = _text_limits()  # (field, max_length) of the signal's text columns
