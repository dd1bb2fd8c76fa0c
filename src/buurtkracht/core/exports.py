"""Shared care for files people open in a spreadsheet."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook

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


def workbook_bytes(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    """An XLSX file with one sheet per (title, lines), every text cell guarded. Sheet names
    lose the characters Excel refuses (: \\ / ? * [ ]) and are cut to 31 characters."""
    workbook = Workbook(write_only=True)
    for title, lines in sheets:
        sheet = workbook.create_sheet(title=re.sub(r"[:\\/?*\[\]]", " ", title).strip()[:31])
        for line in lines:
            sheet.append(safe_line(line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
