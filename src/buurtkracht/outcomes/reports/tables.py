"""The report's shape: period, tables, rows and cells, and how counts become tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.core.models import Area, Team
from buurtkracht.outcomes.stories import ReportStories
from buurtkracht.outcomes.suppression import Cell, share, suppress


@dataclass(frozen=True)
class Shown:
    """One figure as it appears: `text` on the page, `export` in CSV and XLSX."""

    text: str
    export: int | float | str

    @classmethod
    def of(cls, cell: Cell) -> Shown:
        return cls(str(cell), cell.render())

    @classmethod
    def percent(cls, part: Cell, whole: Cell, *, enough: bool = True) -> Shown:
        """A share of two published figures; "—" when the whole is too small to compute a
        share on (or, `enough` False, too few households are behind it)."""
        value = share(part, whole) if enough else None
        if value is None:
            return cls("—", "")
        return cls(f"{formats.number_format(value, 0, use_l10n=True)}%", round(value, 1))


@dataclass(frozen=True)
class ReportRow:
    label: str
    figures: list[Shown]


@dataclass
class ReportTable:
    id: str
    title: str
    columns: list[str]
    rows: list[ReportRow] = field(default_factory=list)
    total: ReportRow | None = None
    note: str = ""
    # Whether the last column is the row's total (the columns add up to it).
    row_total: bool = True

    def lines(self, *, as_text: bool = False) -> list[list[Any]]:
        """For the exports: a header, the rows and the total; numbers as numbers for the
        spreadsheets, or (`as_text`) the texts of the page."""
        lines: list[list[Any]] = [[_("Neighbourhood"), *self.columns]]
        for row in [*self.rows, *([self.total] if self.total else [])]:
            values = (figure.text if as_text else figure.export for figure in row.figures)
            lines.append([row.label, *values])
        return lines


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes, for fields with a time."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


@dataclass
class OutcomeReport:
    period: Period
    team: Team | None
    area: Area | None
    neighbourhoods: list[Area]
    tables: list[ReportTable]
    stories: ReportStories


NB = "household__neighbourhood"


def _counts(rows: Any, key: str, column: str | None = None) -> dict[Any, int]:
    if column is None:
        return {row[NB if key == NB else key]: row["n"] for row in rows}
    return {(row[key], row[column]): row["n"] for row in rows}


def _table_rows(
    areas: list[Area], figure: Callable[[int], list[Shown]]
) -> tuple[list[ReportRow], ReportRow]:
    """One row per neighbourhood and the total row (`figure(-1)`)."""
    rows = [ReportRow(area.name, figure(i)) for i, area in enumerate(areas)]
    return rows, ReportRow(_("All neighbourhoods"), figure(-1))


def _additive_table(
    *,
    table_id: str,
    title: str,
    columns: list[str],
    areas: list[Area],
    counts: list[list[int]],
    total_label: str,
    row_totals: list[int] | None = None,
    note: str = "",
) -> ReportTable:
    """A table whose last column is the row's total: the sum of the published cells, or
    (`row_totals`, when a row's total is not the sum of its cells) those totals rounded."""
    suppressed = suppress(counts, row_totals=row_totals, columns=len(columns))

    def figure(i: int) -> list[Shown]:
        if i < 0:
            cells = [*suppressed.column_totals, suppressed.grand_total]
        else:
            cells = [*suppressed.cells[i], suppressed.row_totals[i]]
        return [Shown.of(cell) for cell in cells]

    rows, total = _table_rows(areas, figure)
    return ReportTable(table_id, title, [*columns, total_label], rows, total, note)


def _column(counts: list[int]) -> tuple[list[Cell], Cell]:
    """One measure on its own: the published neighbourhoods add up to the total."""
    suppressed = suppress([[n] for n in counts], columns=1)
    return [row[0] for row in suppressed.cells], suppressed.column_totals[0]
