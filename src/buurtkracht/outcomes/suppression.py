"""The figures of the reports as published: every count rounded to base 5, totals and
shares made from the rounded figures (the rule is `core.disclosure`; issue 15, finding 6).

This module only gives the report tables their shape: a table of true counts goes in, a
table of published figures comes out, in which a row total is the sum of the rounded
cells (or, when the caller passes its own totals because they are not plain sums, those
totals rounded), a column total the sum of the rounded cells above it and the grand total
the sum of the rounded row totals. A `Cell` only ever holds a published figure: the true
count does not leave `suppress` or `single`, so it cannot reach a page or an export.

(It replaces the small-number suppression of issue 7, which hid 1 to 4 as "<5" and
relied on secondary suppression per table: subtracting two filtered reports gave the
hidden cell back.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats

from buurtkracht.core.disclosure import BASE, percent, published, published_sum


@dataclass(frozen=True)
class Cell:
    """One published figure: a multiple of five."""

    value: int

    def __post_init__(self) -> None:
        if self.value % BASE:
            raise ValueError(f"{self.value} is not a published figure; use single().")

    def render(self) -> int:
        """For CSV and XLSX: the number itself."""
        return self.value

    def __str__(self) -> str:
        return formats.number_format(self.value, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell


def suppress(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: Sequence[int] | None = None,
    columns: int | None = None,
) -> SuppressedTable:
    """The published table of a table of true counts (see the module docstring).

    `row_totals`: pass them only when a row's total is not the sum of its cells (a
    household counted once in the total but in two columns); they are then rounded on
    their own. The rows must be disjoint (one neighbourhood, one age group each), so that
    the column totals and the grand total are sums of published figures. `columns`: the
    number of columns, needed for a table without rows (its totals are zeros)."""
    rows = len(counts)
    if rows:
        columns = len(counts[0])
    elif columns is None:
        columns = 0
    if any(len(row) != columns for row in counts):
        raise ValueError("All rows need the same number of columns.")
    cells = [[single(n) for n in row] for row in counts]
    if row_totals is None:
        totals = [Cell(published_sum(c.value for c in row)) for row in cells]
    else:
        if len(row_totals) != rows:
            raise ValueError("One total per row.")
        totals = [single(n) for n in row_totals]
    column_totals = [
        Cell(published_sum(cells[i][j].value for i in range(rows))) for j in range(columns)
    ]
    grand_total = Cell(published_sum(t.value for t in totals))
    return SuppressedTable(cells, totals, column_totals, grand_total)


def single(n: int) -> Cell:
    """One true count, published."""
    return Cell(published(n))


def share(part: Cell, whole: Cell) -> float | None:
    """part / whole in percent, on the published figures; None when the whole is too
    small to compute a share on (`core.disclosure.SHARE_BASE`)."""
    return percent(part.value, whole.value)
