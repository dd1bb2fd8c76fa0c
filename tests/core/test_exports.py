"""Spreadsheet exports never carry a formula from typed text."""

from __future__ import annotations

import datetime as dt

import pytest

from buurtkracht.core.exports import safe_cell, safe_line


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+31", "-x", "@SUM(A1)", "\tcmd"])
def test_text_that_would_run_as_a_formula_is_kept_as_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_other_values_are_left_alone() -> None:
    day = dt.date(2026, 11, 22)
    assert safe_line(["Buurt West", 12, -3, "<5", day, None]) == [
        "Buurt West",
        12,
        -3,
        "<5",
        day,
        None,
    ]
