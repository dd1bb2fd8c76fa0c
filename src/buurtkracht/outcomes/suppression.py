"""Small-number suppression for report tables (issue 7: "no figure about fewer than five
people is shown").

Pure Python, no models: a table of counts goes in, every cell comes out either shown or
hidden. The rule, in order:

1. **Primary suppression.** A count of 1 to 4 (people, or the number of people behind a
   figure when a separate `people` grid is given) is hidden and shown as "<5". Totals
   (row totals, column totals, the grand total) are figures too and follow the same rule.
2. **Zero is shown.** "Nobody" is not a figure about a person, and hiding every zero would
   empty most neighbourhood tables. A zero is only hidden as a secondary cell (below) when
   a line has no non-zero cell left to hide.
3. **Secondary suppression.** Every row and every column, the totals row and the totals
   column included, is a sum: its cells add up to its total. For each such line with a
   hidden member:
   - if exactly one member (cell or total) is hidden, it could be worked out by
     subtraction, so a second member is hidden;
   - if the total is shown, the hidden cells together (total minus the shown cells) must
     come to at least 5, otherwise that difference would itself be a figure about fewer
     than five people, so more cells are hidden.
   The member hidden next is a shown non-zero cell (one whose other line also needs a
   second hidden cell first, then the smallest), then a shown zero, then the line's
   total. This repeats over all lines until nothing changes.
   A cell hidden in this step is shown as "×" (as CBS marks confidential cells), not "<5":
   it may well be a large number, and "<5" would be untrue.
4. **Differences** between two figures (`difference`: after − before, e.g. the same
   neighbourhood in two periods) are hidden when either side is hidden, and when the
   difference itself is 1 to 4 people up or down.

What this does not do: it checks each line on its own. A determined reader who combines
several lines at once (linear programming over the whole table) can sometimes narrow a
hidden cell further. For the neighbourhood tables of this application, with few columns
and a reader who is a colleague rather than an attacker, the per-line rule is the level of
protection the practices ask for; a public release would need a full audit (for example
with τ-ARGUS).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.utils import formats

SMALL = 5
SMALL_MARK = "<5"
SECONDARY_MARK = "×"

Hidden = Literal["", "small", "secondary"]


@dataclass(frozen=True)
class Cell:
    """One figure with its verdict. `value` is kept for sums inside the code; it must never
    reach a page or an export when `hidden` is set: use `render` or `str`."""

    value: int
    hidden: Hidden = ""

    @property
    def shown(self) -> bool:
        return not self.hidden

    def render(self) -> int | str:
        """For CSV and XLSX: the number itself, "<5" or "×"."""
        if self.hidden == "small":
            return SMALL_MARK
        if self.hidden:
            return SECONDARY_MARK
        return self.value

    def __str__(self) -> str:
        shown = self.render()
        if isinstance(shown, str):
            return shown
        return formats.number_format(shown, use_l10n=True, force_grouping=True)


def render(cell: Cell) -> int | str:
    """A cell for display or export: a number, "<5" or "×"."""
    return cell.render()


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell


def is_small(n: int) -> bool:
    return 0 < n < SMALL


Position = tuple[int, int]


def _lines(rows: int, columns: int) -> list[tuple[list[Position], Position]]:
    """Every additive line of the table: (its cells, its total). Position (i, columns) is a
    row total, (rows, j) a column total and (rows, columns) the grand total."""
    lines: list[tuple[list[Position], Position]] = []
    for i in range(rows + 1):
        lines.append(([(i, j) for j in range(columns)], (i, columns)))
    for j in range(columns + 1):
        lines.append(([(i, j) for i in range(rows)], (rows, j)))
    return lines


def _line_needs_more(
    parts: list[Position], total: Position, values: dict[Position, int], hidden: set[Position]
) -> bool:
    members = [*parts, total]
    hidden_members = [p for p in members if p in hidden]
    if not hidden_members:
        return False
    if len(hidden_members) == 1:
        return True
    if total not in hidden:
        residual = sum(values[p] for p in parts if p in hidden)
        return residual < SMALL
    return False


def _next_to_hide(
    parts: list[Position],
    total: Position,
    values: dict[Position, int],
    hidden: set[Position],
    lines_of: dict[Position, list[tuple[list[Position], Position]]],
) -> Position | None:
    shown_parts = [p for p in parts if p not in hidden]
    if shown_parts:
        # A cell whose other line also needs a second hidden cell settles both lines at
        # once, so fewer figures are lost.
        def helps(p: Position) -> int:
            return sum(
                _line_needs_more(other_parts, other_total, values, hidden)
                for other_parts, other_total in lines_of[p]
            )

        return min(shown_parts, key=lambda p: (values[p] == 0, -helps(p), values[p], p))
    if total not in hidden:
        return total
    return None


def suppress(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: Sequence[int] | None = None,
    column_totals: Sequence[int] | None = None,
    grand_total: int | None = None,
    people: Sequence[Sequence[int]] | None = None,
    row_people: Sequence[int] | None = None,
) -> SuppressedTable:
    """Decide which figures of a table to show (see the module docstring for the rule).

    Totals default to the sums of the cells. Pass them when they are not plain sums (a
    household counted once in a row total but in two columns); the lines are then checked
    as if they were sums, which errs on the side of hiding. `people` (and `row_people`)
    give the number of people behind each cell when the cell counts something else
    (actions, for instance): primary suppression then looks at the people."""
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("All rows need the same number of columns.")
    values: dict[Position, int] = {}
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            values[i, j] = int(n)
    row_sums = list(row_totals) if row_totals is not None else [sum(r) for r in counts]
    column_sums = (
        list(column_totals)
        if column_totals is not None
        else [sum(counts[i][j] for i in range(rows)) for j in range(columns)]
    )
    for i, n in enumerate(row_sums):
        values[i, columns] = int(n)
    for j, n in enumerate(column_sums):
        values[rows, j] = int(n)
    values[rows, columns] = int(grand_total if grand_total is not None else sum(row_sums))

    behind = dict(values)
    if people is not None:
        for i, row in enumerate(people):
            for j, n in enumerate(row):
                behind[i, j] = int(n)
    if row_people is not None:
        for i, n in enumerate(row_people):
            behind[i, columns] = int(n)

    small = {p for p, n in behind.items() if is_small(n)}
    hidden = set(small)
    lines = _lines(rows, columns)
    lines_of: dict[Position, list[tuple[list[Position], Position]]] = {p: [] for p in values}
    for line in lines:
        for p in [*line[0], line[1]]:
            lines_of[p].append(line)
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            while _line_needs_more(parts, total, values, hidden):
                nxt = _next_to_hide(parts, total, values, hidden, lines_of)
                if nxt is None:
                    break
                hidden.add(nxt)
                changed = True

    def cell(p: Position) -> Cell:
        verdict: Hidden = "small" if p in small else ("secondary" if p in hidden else "")
        return Cell(values[p], verdict)

    return SuppressedTable(
        cells=[[cell((i, j)) for j in range(columns)] for i in range(rows)],
        row_totals=[cell((i, columns)) for i in range(rows)],
        column_totals=[cell((rows, j)) for j in range(columns)],
        grand_total=cell((rows, columns)),
    )


def single(n: int) -> Cell:
    """One figure on its own, with no table around it to check against."""
    return Cell(n, "small" if is_small(n) else "")


def difference(before: Cell, after: Cell) -> Cell:
    """The movement after − before, hidden when either side is hidden (it would reveal the
    hidden one) or when it is itself about 1 to 4 people."""
    value = after.value - before.value
    if before.hidden or after.hidden:
        return Cell(value, "secondary")
    if is_small(abs(value)):
        return Cell(value, "small")
    return Cell(value)


def share(part: Cell, whole: Cell) -> float | None:
    """part / whole in percent, or None when either is hidden or whole is zero: a share of
    a hidden figure would reveal it."""
    if part.hidden or whole.hidden or whole.value == 0:
        return None
    return 100 * part.value / whole.value
