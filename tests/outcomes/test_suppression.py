"""Small-number suppression (issue 7): no figure about fewer than five people, and no
hidden figure that can be worked out from the totals or from a difference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from buurtkracht.outcomes.suppression import (
    SECONDARY_MARK,
    SMALL_MARK,
    Cell,
    SuppressedTable,
    difference,
    render,
    share,
    single,
    suppress,
)


def grid(table: SuppressedTable) -> list[list[int | str]]:
    """The table as shown, totals included: the row totals last in each row, the column
    totals and grand total as the last row."""
    rows = [
        [*map(render, cells), render(total)]
        for cells, total in zip(table.cells, table.row_totals, strict=True)
    ]
    rows.append([*map(render, table.column_totals), render(table.grand_total)])
    return rows


def test_nothing_small_shows_everything() -> None:
    table = suppress([[10, 20], [30, 0]])
    assert grid(table) == [[10, 20, 30], [30, 0, 30], [40, 20, 60]]


def test_a_single_small_cell_is_hidden_with_a_partner_in_its_row_and_column() -> None:
    table = suppress([[3, 10, 20], [8, 12, 30], [9, 6, 40]])
    shown = grid(table)
    assert shown[0][0] == SMALL_MARK
    # Row 0: the next-smallest cell (10) goes too, or 3 = 33 - 10 - 20.
    assert shown[0][1] == SECONDARY_MARK
    # Column 0: the next-smallest (8) goes too.
    assert shown[1][0] == SECONDARY_MARK
    # Row 1 and column 1 now have one hidden cell each: 12 goes as well.
    assert shown[1][1] == SECONDARY_MARK
    assert shown[0][3] == 33 and shown[3][3] == 138
    assert shown[2] == [9, 6, 40, 55]


def test_secondary_suppression_in_a_column() -> None:
    table = suppress([[2], [7], [9]])
    shown = grid(table)
    assert shown[0] == [SMALL_MARK, SMALL_MARK]  # the cell and its row total
    # The column: 2 alone could be worked out from 18 - 7 - 9, so 7 goes too; and the
    # row total 7 then goes in the totals column.
    assert shown[1] == [SECONDARY_MARK, SECONDARY_MARK]
    assert shown[2] == [9, 9]
    assert shown[3] == [18, 18]


def test_hidden_cells_together_must_come_to_five() -> None:
    # 1 + 1 = 2 would be derivable from the total: a third cell is hidden.
    table = suppress([[1, 1, 6, 20]])
    shown = grid(table)
    assert shown[0][:3] == [SMALL_MARK, SMALL_MARK, SECONDARY_MARK]
    assert shown[0][3] == 20


def test_a_total_that_would_reveal_a_hidden_cell_is_hidden() -> None:
    # Row 0 has one contributor: its total is the hidden cell itself.
    table = suppress([[3, 0], [10, 12]])
    shown = grid(table)
    assert shown[0][0] == SMALL_MARK
    assert shown[0][2] == SMALL_MARK  # the row total is 3 as well
    # Column 0 total 13: 13 - 10 would give the 3, so the 10 goes.
    assert shown[1][0] == SECONDARY_MARK
    # The totals column (3, 22, 25) then has one hidden figure: the row total 22 goes,
    # which also leaves row 1 with two hidden figures.
    assert shown[1] == [SECONDARY_MARK, 12, SECONDARY_MARK]
    assert shown[2] == [13, 12, 25]


def test_zero_is_shown_unless_it_is_the_only_partner() -> None:
    table = suppress([[0, 8], [0, 9]], row_totals=[8, 9])
    assert grid(table)[0][0] == 0
    # A hidden 7 whose row has only zeros beside it and a shown total of 7: hide a zero.
    table = suppress([[7, 0]], people=[[3, 0]])
    shown = grid(table)
    assert shown[0][0] == SMALL_MARK
    assert shown[0][1] == SECONDARY_MARK


def test_people_decide_primary_suppression() -> None:
    table = suppress([[12, 40]], people=[[2, 9]], row_people=[10])
    assert table.cells[0][0].hidden == "small"
    assert table.row_totals[0].shown


def test_difference_between_two_cells() -> None:
    assert render(difference(Cell(20), Cell(31))) == 11
    assert render(difference(Cell(20), Cell(23))) == SMALL_MARK
    assert render(difference(Cell(23), Cell(20))) == SMALL_MARK  # down by 3
    assert render(difference(Cell(20), Cell(20))) == 0
    assert render(difference(Cell(3, "small"), Cell(30))) == SECONDARY_MARK
    assert render(difference(Cell(30), Cell(40, "secondary"))) == SECONDARY_MARK


def test_single_share_and_text() -> None:
    assert render(single(4)) == SMALL_MARK
    assert render(single(0)) == 0
    assert share(Cell(5), Cell(20)) == 25
    assert share(Cell(3, "small"), Cell(20)) is None
    assert share(Cell(0), Cell(0)) is None
    assert str(Cell(3, "small")) == "<5"


def _lines(shown: list[list[int | str]]) -> list[list[int | str]]:
    columns = list(map(list, zip(*shown, strict=True)))
    return [*shown, *columns]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(0, 14), min_size=columns, max_size=columns),
            min_size=1,
            max_size=5,
        )
    )
)
def test_no_hidden_cell_can_be_recovered(counts: list[list[int]]) -> None:
    table = suppress(counts)
    shown = grid(table)
    values = [[*row, sum(row)] for row in counts]
    values.append([sum(col) for col in zip(*values, strict=True)])
    for row in shown:
        for figure in row:
            assert not (isinstance(figure, int) and 0 < figure < 5)
    for line, truth in zip(_lines(shown), _lines(values), strict=True):  # type: ignore[arg-type]
        hidden = [i for i, figure in enumerate(line) if isinstance(figure, str)]
        assert len(hidden) in (0,) or len(hidden) >= 2, (counts, shown)
        if hidden and isinstance(line[-1], int):
            # The hidden cells together (total minus the shown cells) are not a small figure.
            residual = sum(int(truth[i]) for i in hidden)
            assert residual == 0 or residual >= 5, (counts, shown)
