"""Figures as shown: small numbers suppressed, rates, reference figures, one monitor row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import formats

from buurtkracht.signals.models import (
    ContactAttempt,
)
from buurtkracht.signals.monitor.counts import Counts, _median

# Below this number of reports a figure is not shown and no rate is computed.
SMALL = 5
SUPPRESSED = "<5"

# Public reference figures, shown beside the municipality's own (see the issue): signals per
# 1,000 inhabitants per month, and how often each kind of attempt reaches someone (%).
REFERENCE_PER_1000 = 4
REFERENCE_REACH = {
    ContactAttempt.Kind.LETTER: 6,
    ContactAttempt.Kind.PHONE: 59,
    ContactAttempt.Kind.HOME_VISIT: 46,
}


# Figures -------------------------------------------------------------------------------------

FigureKind = Literal["count", "percent", "per_1000", "days"]


@dataclass(frozen=True)
class Figure:
    """One number as shown: `value` None means not shown, for `reason` "small" (about fewer
    than five reports) or "none" (nothing to compute: no reports, no inhabitants known)."""

    value: float | int | None
    kind: FigureKind = "count"
    reason: Literal["", "small", "none"] = ""

    @property
    def suppressed(self) -> bool:
        return self.reason == "small"

    def __str__(self) -> str:
        if self.value is None:
            return SUPPRESSED if self.suppressed else "—"
        if self.kind == "count":
            return formats.number_format(self.value, use_l10n=True, force_grouping=True)
        if self.kind == "percent":
            return f"{formats.number_format(self.value, 0, use_l10n=True)}%"
        if self.kind == "days" and float(self.value).is_integer():
            return formats.number_format(int(self.value), use_l10n=True)
        return formats.number_format(self.value, 1, use_l10n=True)

    def export(self) -> float | int | str:
        """For CSV and XLSX: the number itself, "<5", or empty."""
        if self.value is None:
            return SUPPRESSED if self.suppressed else ""
        if self.kind == "count":
            return int(self.value)
        return round(float(self.value), 1)


def count_figure(n: int) -> Figure:
    if 0 < n < SMALL:
        return Figure(None, "count", "small")
    return Figure(n, "count")


def share_figure(part: int, whole: int) -> Figure:
    """part / whole in percent; not computed on fewer than five."""
    if whole == 0:
        return Figure(None, "percent", "none")
    if whole < SMALL:
        return Figure(None, "percent", "small")
    return Figure(100 * part / whole, "percent")


@dataclass(frozen=True)
class AttemptFigures:
    kind: str
    label: str
    attempts: Figure
    reached: Figure
    reach_rate: Figure
    reference: int | None


@dataclass
class MonitorRow:
    """One line of the monitor: a month, a team or a neighbourhood."""

    key: Any
    label: str
    counts: Counts
    inhabitants: int | None  # of the area the row covers; None when unknown
    months: int  # months the row covers, for signals per 1,000 inhabitants per month

    @property
    def signals(self) -> Figure:
        # Signals are about reports: hidden as long as the reports are.
        if 0 < self.counts.reports < SMALL:
            return Figure(None, "count", "small")
        return count_figure(self.counts.signals)

    @property
    def reports(self) -> Figure:
        return count_figure(self.counts.reports)

    @property
    def multiple(self) -> Figure:
        return count_figure(self.counts.multiple)

    @property
    def consecutive(self) -> Figure:
        return count_figure(self.counts.consecutive)

    @property
    def reached(self) -> Figure:
        return count_figure(self.counts.reached)

    @property
    def accepted(self) -> Figure:
        return count_figure(self.counts.accepted)

    @property
    def signals_per_1000(self) -> Figure:
        """Signals per 1,000 inhabitants per month (the reference is about 4)."""
        if 0 < self.counts.reports < SMALL:
            return Figure(None, "per_1000", "small")
        if not self.inhabitants or not self.months:
            return Figure(None, "per_1000", "none")
        return Figure(1000 * self.counts.signals / self.inhabitants / self.months, "per_1000")

    @property
    def share_multiple(self) -> Figure:
        """Share of reports with signals from more than one partner or contract."""
        return share_figure(self.counts.multiple, self.counts.reports)

    @property
    def share_consecutive(self) -> Figure:
        """Share of reports with a signal at the address in the previous six months."""
        return share_figure(self.counts.consecutive, self.counts.reports)

    @property
    def contact_rate(self) -> Figure:
        """Share of reports in which someone was reached."""
        return share_figure(self.counts.reached, self.counts.reports)

    @property
    def acceptance_rate(self) -> Figure:
        """Share of the households reached that accepted help."""
        return share_figure(self.counts.accepted, self.counts.reached)

    @property
    def first_attempts(self) -> int:
        return sum(self.counts.days.values())

    @property
    def median_days(self) -> Figure:
        """Median calendar days from a report's arrival to the first attempt."""
        n = self.first_attempts
        if n == 0:
            return Figure(None, "days", "none")
        if n < SMALL:
            return Figure(None, "days", "small")
        return Figure(_median(self.counts.days), "days")

    def attempt_figures(self, kinds: Iterable[str]) -> list[AttemptFigures]:
        labels = dict(ContactAttempt.Kind.choices)
        figures = []
        for kind in kinds:
            tried, reached = self.counts.attempts.get(kind, (0, 0))
            figures.append(
                AttemptFigures(
                    kind=kind,
                    label=str(labels.get(kind, kind)),
                    attempts=count_figure(tried),
                    reached=count_figure(reached),
                    reach_rate=share_figure(reached, tried),
                    reference=REFERENCE_REACH.get(kind),  # type: ignore[call-overload]
                )
            )
        return figures


def attempt_kinds(rows: Iterable[MonitorRow]) -> list[str]:
    """The kinds of attempt that occur in these rows, in the order of the choices."""
    used = {kind for row in rows for kind in row.counts.attempts}
    return [kind for kind in ContactAttempt.Kind.values if kind in used]
