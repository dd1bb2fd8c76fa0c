"""Bundling signals into reports: one per address and month, routed to the area's team."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from buurtkracht.core.models import Team
from buurtkracht.core.queries import PostcodeTable
from buurtkracht.core.workdays import add_working_days
from buurtkracht.signals import matching
from buurtkracht.signals.models import (
    OutreachSettings,
    Report,
)
from buurtkracht.signals.parsing import (
    CleanSignal,
)


def address_key(postcode: str, house_number: int, letter: str = "", addition: str = "") -> str:
    """One key per address as partners write it: 12A, 12-a and 12 a are the same door."""
    return f"{postcode}|{matching.house_key(house_number, letter, addition)}"


def report_address_key(signal: CleanSignal, result: matching.MatchResult) -> str:
    """The address a signal's report is about: the signal's own, or, when the person was
    found for certain at another address (moved, or a typing error in the address), the
    address where they live, so that the team of that address gets the report."""
    found = result.found_at
    if result.status == matching.MatchStatus.AUTOMATIC and found is not None:
        return address_key(found.postcode, found.house_number, found.house_letter, found.addition)
    return address_key(signal.postcode, signal.house_number, signal.house_letter, signal.addition)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


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
        key = report_address_key(signal, result)
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
        # An address the register does not know is placed by the postcode table, read
        # once for the batch (not two queries per new report: issue 17, item 7).
        placed: dict[tuple[str, dt.date], int | None] = {}
        postcodes: PostcodeTable | None = None
        for wanted_key in missing:
            signal, result = wanted[wanted_key]
            placed[wanted_key] = result.neighbourhood_id
            if result.neighbourhood_id is None and result.address_id is None:
                postcodes = postcodes or PostcodeTable()
                placed[wanted_key] = postcodes.neighbourhood_id(
                    signal.postcode, signal.house_number
                )
        teams = teams_of_neighbourhoods(set(placed.values()) - {None})
        due = add_working_days(today, settings.first_attempt_working_days)
        new = []
        for wanted_key in missing:
            signal, result = wanted[wanted_key]
            neighbourhood_id = placed[wanted_key]
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


def teams_of_neighbourhoods(ids: set[Any]) -> dict[int, int]:
    """Each neighbourhood's serving team (the first, when two teams share one)."""
    teams: dict[int, int] = {}
    for area_id, team_id in (
        Team.neighbourhoods.through.objects.filter(area_id__in=ids)
        .order_by("team_id")
        .values_list("area_id", "team_id")
    ):
        teams.setdefault(area_id, team_id)
    return teams
