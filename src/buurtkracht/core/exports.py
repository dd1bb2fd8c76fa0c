"""Shared care for files people open in a spreadsheet."""

from __future__ import annotations

from typing import Any

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
