"""Figures as shown: every count rounded to base 5 (`core.disclosure`), rates computed from
the rounded counts, reference figures, one monitor row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils import formats

from buurtkracht.core.disclosure import has_base, percent, published, published_sum
from buurtkracht.signals.models import (
    ContactAttempt,
)
from buurtkracht.signals.monitor.counts import Counts, _median

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
    """One number as shown: `value` None means not shown, for `reason` "small" (a rate or
    median on a published count below ten) or "none" (nothing to compute: no reports, no
    inhabitants known). A count's `value` is always a published (rounded) figure."""

    value: float | int | None
    kind: FigureKind = "count"
    reason: Literal["", "small", "none"] = ""

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        if self.kind == "count":
            return formats.number_format(self.value, use_l10n=True, force_grouping=True)
        if self.kind == "percent":
            return f"{formats.number_format(self.value, 0, use_l10n=True)}%"
        if self.kind == "days" and float(self.value).is_integer():
            return formats.number_format(int(self.value), use_l10n=True)
        return formats.number_format(self.value, 1, use_l10n=True)

    def export(self) -> float | int | str:
        """For CSV and XLSX: the number itself, or empty."""
        if self.value is None:
            return ""
        if self.kind == "count":
            return int(self.value)
        return round(float(self.value), 1)


def count_figure(p: int) -> Figure:
    """A published count (see `core.disclosure.published`)."""
    return Figure(p, "count")


def share_figure(part: int, whole: int) -> Figure:
    """part / whole in percent, both published counts; not computed on fewer than ten."""
    if whole == 0:
        return Figure(None, "percent", "none")
    value = percent(part, whole)
    if value is None:
        return Figure(None, "percent", "small")
    return Figure(value, "percent")


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
    """One line of the monitor: a month, a team or a neighbourhood, or (with `parts`) the
    total of such lines, whose counts are then the sums of the lines' published counts."""

    key: Any
    label: str
    counts: Counts
    inhabitants: int | None  # of the area the row covers; None when unknown
    months: int  # months the row covers, for signals per 1,000 inhabitants per month
    parts: list[MonitorRow] = field(default_factory=list)

    def published(self, name: str) -> int:
        """The published value of one of the counts (`Counts` field name)."""
        if self.parts:
            return published_sum(part.published(name) for part in self.parts)
        return published(getattr(self.counts, name))

    def published_attempts(self, kind: str) -> tuple[int, int]:
        """Attempts of one kind and those that reached someone, published."""
        if self.parts:
            pairs = [part.published_attempts(kind) for part in self.parts]
            return published_sum(t for t, _r in pairs), published_sum(r for _t, r in pairs)
        tried, reached = self.counts.attempts.get(kind, (0, 0))
        return published(tried), published(reached)

    def published_first_attempts(self) -> int:
        if self.parts:
            return published_sum(part.published_first_attempts() for part in self.parts)
        return published(sum(self.counts.days.values()))

    @property
    def signals(self) -> Figure:
        return count_figure(self.published("signals"))

    @property
    def reports(self) -> Figure:
        return count_figure(self.published("reports"))

    @property
    def multiple(self) -> Figure:
        return count_figure(self.published("multiple"))

    @property
    def consecutive(self) -> Figure:
        return count_figure(self.published("consecutive"))

    @property
    def reached(self) -> Figure:
        return count_figure(self.published("reached"))

    @property
    def accepted(self) -> Figure:
        return count_figure(self.published("accepted"))

    @property
    def signals_per_1000(self) -> Figure:
        """Signals per 1,000 inhabitants per month (the reference is about 4), on the
        published number of signals."""
        if not self.inhabitants or not self.months:
            return Figure(None, "per_1000", "none")
        return Figure(1000 * self.published("signals") / self.inhabitants / self.months, "per_1000")

    @property
    def share_multiple(self) -> Figure:
        """Share of reports with signals from more than one partner or contract."""
        return share_figure(self.published("multiple"), self.published("reports"))

    @property
    def share_consecutive(self) -> Figure:
        """Share of reports with a signal at the address in the previous six months."""
        return share_figure(self.published("consecutive"), self.published("reports"))

    @property
    def contact_rate(self) -> Figure:
        """Share of reports in which someone was reached."""
        return share_figure(self.published("reached"), self.published("reports"))

    @property
    def acceptance_rate(self) -> Figure:
        """Share of the households reached that accepted help."""
        return share_figure(self.published("accepted"), self.published("reached"))

    @property
    def median_days(self) -> Figure:
        """Median calendar days from a report's arrival to the first attempt; given when
        the published number of first attempts is ten or more."""
        if not self.counts.days:
            return Figure(None, "days", "none")
        if not has_base(self.published_first_attempts()):
            return Figure(None, "days", "small")
        return Figure(_median(self.counts.days), "days")

    def attempt_figures(self, kinds: Iterable[str]) -> list[AttemptFigures]:
        labels = dict(ContactAttempt.Kind.choices)
        figures = []
        for kind in kinds:
            tried, reached = self.published_attempts(kind)
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
