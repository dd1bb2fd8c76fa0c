"""Feedback to partners (terugkoppeling): per signal, only what a partner may know.

A partner that sent a signal may hear whether the municipality made contact and whether
help was accepted, so it can hold off a collection or an eviction (the covenants under the
Wet gemeentelijke schuldhulpverlening ask for this). It may not learn anything else about
the household: no names, no notes, not who lives there, not what kind of help. So the rows
hold the partner's own reference and date, and a few fixed answers, nothing typed by a
worker.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from buurtkracht.core.exports import safe_cell
from buurtkracht.core.models import Organisation
from buurtkracht.households.models import Membership
from buurtkracht.signals.models import ContactAttempt, Report, Signal

YES, NO, UNKNOWN = "yes", "no", ""
OPEN, CLOSED = "open", "closed"

# The columns, in order. Every row has these keys and no others.
FEEDBACK_FIELDS: tuple[str, ...] = (
    "partner_reference",
    "signal_date",
    "status",
    "contact_made",
    "help_accepted",
    "closed_on",
)

# The outcomes that mean someone spoke with the household.
REACHED_OUTCOMES = frozenset(
    {Report.Outcome.ACCEPTED, Report.Outcome.DECLINED, Report.Outcome.ALREADY_HELPED}
)
# "No" to help: the household declined it, was not reached, had moved, or already had
# help elsewhere (the partner may know no more than that the offer was not taken up here).
NOT_ACCEPTED_OUTCOMES = frozenset(
    {
        Report.Outcome.DECLINED,
        Report.Outcome.NOT_REACHED,
        Report.Outcome.MOVED,
        Report.Outcome.ALREADY_HELPED,
    }
)

# The file is an exchange format: partners may read it with a program, so its column names
# and values do not change with the language of the screen. They are the Dutch words that
# partners use in their own files ("Kenmerk", "Signaaldatum"), so Excel in NL opens it as is.
CSV_HEADER: tuple[str, ...] = (
    "Kenmerk",
    "Signaaldatum",
    "Status",
    "Contact gelegd",
    "Hulp geaccepteerd",
    "Afgesloten op",
)
CSV_VALUES = {YES: "ja", NO: "nee", UNKNOWN: "", OPEN: "open", CLOSED: "afgesloten"}


SURE_MATCHES = frozenset({Signal.MatchStatus.AUTOMATIC, Signal.MatchStatus.CONFIRMED})


@dataclass
class Feedback:
    rows: list[dict[str, Any]]
    subjects: list[int]  # the residents the rows are about, for the audit log


def feedback_collect(organisation: Organisation, *, since: dt.date | None = None) -> Feedback:
    """The feedback rows of one partner, and whom they concern. One query, whatever the
    number of signals."""
    reached = ContactAttempt.objects.filter(report=OuterRef("report_id"), reached=True)
    signals = Signal.objects.filter(organisation=organisation)
    if since is not None:
        signals = signals.filter(signal_date__gte=since)
    values = (
        signals.annotate(
            any_reached=Exists(reached),
            # The report's outcome is this signal's only when the signal is surely about a
            # member of the household the report was about: a report covers a whole
            # address, and a former tenant's partner must not learn a new tenant's outcome.
            person_in_household=Exists(
                Membership.objects.filter(
                    person_id=OuterRef("person_id"), household_id=OuterRef("report__household_id")
                )
            ),
        )
        .order_by("signal_date", "partner_reference")
        .values_list(
            "partner_reference",
            "signal_date",
            "report__status",
            "report__outcome",
            "report__closed_at",
            "any_reached",
            "person_id",
            "match_status",
            "report__household_id",
            "person_in_household",
        )
    )
    rows: list[dict[str, Any]] = []
    subjects: set[int] = set()
    for (
        reference,
        signal_date,
        status,
        outcome,
        closed_at,
        any_reached,
        person,
        match,
        household,
        in_household,
    ) in values:
        closed = status == Report.Status.CLOSED
        # A report tied to a household speaks for that household's members only; a report
        # about the address alone (nobody linked) speaks for the address.
        ours = household is None or (match in SURE_MATCHES and in_household)
        rows.append(
            {
                "partner_reference": reference,
                "signal_date": signal_date,
                "status": CLOSED if closed else OPEN,
                "contact_made": _contact_made(closed, outcome, any_reached) if ours else UNKNOWN,
                "help_accepted": _help_accepted(outcome) if ours else UNKNOWN,
                "closed_on": timezone.localdate(closed_at) if closed and closed_at else None,
            }
        )
        # A candidate still to be reviewed is not yet known to be this resident.
        if person and match in SURE_MATCHES:
            subjects.add(person)
    return Feedback(rows=rows, subjects=sorted(subjects))


def feedback_rows(
    organisation: Organisation, *, since: dt.date | None = None
) -> list[dict[str, Any]]:
    """One row per signal of this partner (signal date on or after `since`, when given):
    partner_reference, signal_date, status ("open"/"closed"), contact_made and
    help_accepted ("yes"/"no", or "" while not known), closed_on (a date or None)."""
    return feedback_collect(organisation, since=since).rows


def _contact_made(closed: bool, outcome: str, any_reached: bool) -> str:
    if any_reached or outcome in REACHED_OUTCOMES:
        return YES
    # While the report is open and has no outcome, the team may still reach someone.
    return NO if closed or outcome else UNKNOWN


def _help_accepted(outcome: str) -> str:
    if outcome == Report.Outcome.ACCEPTED:
        return YES
    if outcome in NOT_ACCEPTED_OUTCOMES:
        return NO
    # Open, or closed because the partner reports it was paid: no offer was decided on.
    return UNKNOWN


def feedback_csv(organisation: Organisation, since: dt.date | None = None) -> bytes:
    """The feedback as a CSV file for Excel in NL: UTF-8 with a BOM (so Excel reads the
    characters right), semicolons, dates as dd-mm-yyyy."""
    return rows_as_csv(feedback_rows(organisation, since=since))


def rows_as_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            (
                _cell(row["partner_reference"]),
                _date(row["signal_date"]),
                CSV_VALUES[row["status"]],
                CSV_VALUES[row["contact_made"]],
                CSV_VALUES[row["help_accepted"]],
                _date(row["closed_on"]),
            )
        )
    return out.getvalue().encode("utf-8-sig")


def _date(value: dt.date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


def _cell(text: str) -> str:
    return str(safe_cell(text))
