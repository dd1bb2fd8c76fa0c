"""Shared care for files people open in a spreadsheet.

Money in exports has one format, written down in docs/formats.md: the column name says
"(EUR)"; in CSV the amount is a plain decimal with a point and two decimals (2072.40,
-12.50), no euro sign and no thousands separator, whatever the language of the screen;
in XLSX it is a number cell with a euro number format, so the spreadsheet can add it up.
Wrap an amount in `Money` and `csv_line` / `workbook_bytes` write it so.
"""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from buurtkracht.core.numbers import CENT, to_decimal

# Excel's code for "€ 1.234,56" (Dutch Excel shows it as such, English Excel as €1,234.56).
XLSX_MONEY_FORMAT = "[$€-413] #,##0.00;[$€-413] -#,##0.00"


class Money(NamedTuple):
    """An amount in euros for an export cell (None: no amount, an empty cell)."""

    amount: Decimal | None

    def csv(self) -> str:
        amount = to_decimal(self.amount)
        if amount is None:
            return ""
        return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):f}"

    def xlsx(self) -> Decimal | None:
        amount = to_decimal(self.amount)
        return None if amount is None else amount.quantize(CENT, rounding=ROUND_HALF_UP)


# Excel and LibreOffice run a cell that starts with one of these as a formula (CSV/XLSX
# injection): names typed by partners or administrators must arrive as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet must show it: text that would run as a formula gets a
    leading apostrophe; numbers, dates and everything else stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


def safe_line(line: list[Any]) -> list[Any]:
    return [safe_cell(value) for value in line]


def csv_line(line: list[Any]) -> list[Any]:
    """A line for `csv.writer`: text guarded, amounts in the documented CSV format."""
    return [value.csv() if isinstance(value, Money) else safe_cell(value) for value in line]


def workbook_bytes(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    """An XLSX file with one sheet per (title, lines), every text cell guarded. Sheet names
    lose the characters Excel refuses (: \\ / ? * [ ]) and are cut to 31 characters."""
    workbook = Workbook(write_only=True)
    for title, lines in sheets:
        sheet = workbook.create_sheet(title=re.sub(r"[:\\/?*\[\]]", " ", title).strip()[:31])
        for line in lines:
            sheet.append([_xlsx_cell(sheet, value) for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, Money):
        cell = WriteOnlyCell(sheet, value=value.xlsx())
        cell.number_format = XLSX_MONEY_FORMAT
        return cell
    return safe_cell(value)
