"""Taking in one batch: checks, matching, remembered decisions, storing signals and reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.core.models import Organisation
from buurtkracht.core.workdays import add_working_days
from buurtkracht.signals import matching
from buurtkracht.signals.columns import CANONICAL_FIELDS
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
)
from buurtkracht.signals.services.partners import partner_kind_for
from buurtkracht.signals.services.priority import _prioritise, _PriorityFacts, reports_prioritise
from buurtkracht.signals.services.reports import _month, _reports_for, report_address_key


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
    known = {
        ref: (pk, arrears)
        for ref, pk, *arrears in Signal.objects.filter(
            organisation=organisation,
            partner_reference__in=[r.signal.partner_reference for r in clean if r.signal],
        ).values_list("partner_reference", "pk", *ARREARS_FIELDS)
    }
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
    changed: list[tuple[int, dict[str, object]]] = []
    for row in clean:
        assert row.signal is not None
        if (earlier := known.get(row.signal.partner_reference)) is None:
            fresh.append(row.signal)
        elif update := _new_arrears(row.signal, earlier[1]):
            changed.append((earlier[0], update))
        else:
            delivery.rows_duplicate += 1
    subjects = _update_arrears(delivery, changed, rules, today)
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
        return subjects

    index = matching.load_candidates_for(fresh, on=today)
    results = matching.match_batch(fresh, index, remembered, organisation_id=organisation.pk)
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
            (report_address_key(clean_signal, result), _month(clean_signal.signal_date))
        ]
        values = {f: getattr(clean_signal, f) for f in SIGNAL_FIELDS}
        values.update(
            delivery_id=delivery.pk,
            organisation_id=organisation.pk,
            person_id=result.person_id if result.status != matching.MatchStatus.NONE else None,
            match_status=status_of[result.status],
            match_confidence=result.confidence,
            match_reasons=[
                *result.reasons,
                # The warning of a field set aside goes with the signal (the partner's
                # value is not a date of birth, and matching did without it).
                *([matching.R_DOB_SET_ASIDE] if clean_signal.warnings else []),
            ],
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
    return subjects | {
        r["person_id"] for r in signal_rows if r["person_id"] and r["match_status"] == "automatic"
    }


# What a partner may deliver again for a signal it sent before: the arrears go on, so the
# amount (and the terms missed, the end of supply) can change from one month to the next.
ARREARS_FIELDS = ("amount", "missed_terms", "end_of_supply_date")


def _new_arrears(signal: CleanSignal, stored: Sequence[object]) -> dict[str, object]:
    """The arrears fields whose delivered value differs from the stored one (a field left
    empty in the new delivery keeps its stored value)."""
    return {
        name: value
        for name, old in zip(ARREARS_FIELDS, stored, strict=True)
        if (value := getattr(signal, name)) is not None and value != old
    }


def _update_arrears(
    delivery: Delivery,
    changed: list[tuple[int, dict[str, object]]],
    rules: list[PriorityRule],
    today: dt.date,
) -> set[int]:
    """Store the new arrears of signals delivered before, count them, and recompute the
    priority of their reports; the residents of automatic matches, for the log."""
    if not changed:
        return set()
    for name in ARREARS_FIELDS:
        part = [Signal(pk=pk, **{name: new[name]}) for pk, new in changed if name in new]
        Signal.objects.bulk_update(part, [name], batch_size=1000)
    delivery.rows_updated += len(changed)
    touched = Signal.objects.filter(pk__in=[pk for pk, _new in changed])
    reports_prioritise(
        Report.objects.filter(pk__in=touched.values("report_id")), rules=rules, today=today
    )
    return set(
        touched.filter(
            match_status__in=[Signal.MatchStatus.AUTOMATIC, Signal.MatchStatus.CONFIRMED],
            person__isnull=False,
        ).values_list("person_id", flat=True)
    )


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


# Every field of the documented column set is stored on the signal as it was cleaned.
SIGNAL_FIELDS = CANONICAL_FIELDS
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


_TEXT_LIMITS = _text_limits()  # (field, max_length) of the signal's text columns
