"""Priority of a report: the municipality's rules, the facts they weigh, their reasons."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buurtkracht.core.numbers import format_money, to_decimal
from buurtkracht.core.queries import not_ended
from buurtkracht.households.models import Involvement, Membership, Person
from buurtkracht.signals.matching.candidates import years_before
from buurtkracht.signals.models import (
    PriorityRule,
    Report,
    Signal,
)

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
        .filter(not_ended(today))
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
