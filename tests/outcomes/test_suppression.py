"""The report tables as published (issue 15, finding 6): every count rounded to base 5,
totals that add up the rounded cells, shares of the rounded figures (core.disclosure).
The attacker's view over random data and pairs of reports is in test_disclosure.py."""

from __future__ import annotations

import pytest

from buurtkracht.core.disclosure import has_base, percent, possible, published, published_sum
from buurtkracht.outcomes.suppression import Cell, SuppressedTable, share, single, suppress


def grid(table: SuppressedTable) -> list[list[int]]:
    """The table as shown, totals included: the row totals last in each row, the column
    totals and grand total as the last row."""
    rows = [
        [*(c.render() for c in cells), total.render()]
        for cells, total in zip(table.cells, table.row_totals, strict=True)
    ]
    rows.append([*(c.render() for c in table.column_totals), table.grand_total.render()])
    return rows


def test_rounding_to_the_nearest_multiple_of_five() -> None:
    assert [published(n) for n in range(14)] == [0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 10, 10, 10, 15]
    assert published(37) == 35 and published(38) == 40
    with pytest.raises(ValueError):
        published(-1)


def test_what_a_published_figure_says() -> None:
    assert list(possible(0)) == [0, 1, 2]
    assert list(possible(5)) == [3, 4, 5, 6, 7]
    assert list(possible(35)) == [33, 34, 35, 36, 37]
    for n in range(200):
        assert n in possible(published(n))
    with pytest.raises(ValueError):
        possible(7)


def test_sums_and_shares_only_of_published_figures() -> None:
    assert published_sum([5, 0, 10]) == 15
    with pytest.raises(ValueError):
        published_sum([5, 1])
    assert percent(5, 10) == 50
    assert percent(5, 5) is None and not has_base(5)  # "5 of 5" may be 3 of 7
    assert percent(0, 0) is None


def test_totals_add_up_the_published_cells() -> None:
    table = suppress([[2, 6, 13], [8, 12, 30]])
    assert grid(table) == [[0, 5, 15, 20], [10, 10, 30, 50], [10, 15, 45, 70]]


def test_a_total_that_is_not_a_sum_is_rounded_on_its_own() -> None:
    # A household that came in two ways counts in two columns and once in the total.
    table = suppress([[2, 6], [0, 9]], row_totals=[7, 9])
    assert [t.value for t in table.row_totals] == [5, 10]
    assert [t.value for t in table.column_totals] == [0, 15]
    assert table.grand_total.value == 15  # the published row totals, added up
    with pytest.raises(ValueError):
        suppress([[1]], row_totals=[1, 2])


def test_the_issue_example_37_minus_36() -> None:
    """A district of two neighbourhoods with 1 and 36 households, and the same district
    filtered to the second neighbourhood: the difference of the two totals is what the
    first neighbourhood shows (0: 0, 1 or 2), never the 1."""
    district = suppress([[1], [36]])
    alone = suppress([[36]])
    difference = district.grand_total.value - alone.grand_total.value
    assert difference == district.cells[0][0].value == 0
    assert len(possible(difference)) > 1


def test_a_cell_holds_only_a_published_figure() -> None:
    assert single(3) == Cell(5)
    with pytest.raises(ValueError):
        Cell(3)
    assert str(Cell(1235)) in {"1.235", "1,235"}
    assert share(Cell(5), Cell(20)) == 25
    assert share(Cell(5), Cell(5)) is None


def test_rows_of_different_width_are_refused() -> None:
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    empty = suppress([])
    assert empty.cells == [] and empty.grand_total.value == 0
