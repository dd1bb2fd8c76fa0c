"""One money and number format in pages: "€ 2.072,40" in Dutch, "€2,072.40" in English,
from Decimal without float arithmetic; and one documented format in exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook

from buurtkracht.core.exports import XLSX_MONEY_FORMAT, Money, csv_line, workbook_bytes
from buurtkracht.core.numbers import format_money


def _render(source: str, **context: Any) -> str:
    return Template("{% load bk_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "dutch", "english"),
    [
        (Decimal("2072.40"), "€ 2.072,40", "€2,072.40"),
        (Decimal("1380"), "€ 1.380,00", "€1,380.00"),
        (Decimal("-12.5"), "€ -12,50", "-€12.50"),
        (Decimal("0"), "€ 0,00", "€0.00"),
        (Decimal("-0.001"), "€ 0,00", "€0.00"),  # no "minus nothing"
        (Decimal("1234567.895"), "€ 1.234.567,90", "€1,234,567.90"),  # half up, as on a bill
        (Decimal("0.105"), "€ 0,11", "€0.11"),  # a float would give 0.10
        (10000, "€ 10.000", "€10,000"),  # whole euros stay whole (voting budgets)
        ("2072.4", "€ 2.072,40", "€2,072.40"),
        (None, "", ""),
    ],
)
def test_the_money_filter_in_both_languages(value: Any, dutch: str, english: str) -> None:
    with translation.override("nl"):
        assert _render("{{ v|money }}", v=value) == dutch
    with translation.override("en"):
        assert _render("{{ v|money }}", v=value) == english


def test_whole_euros_on_request_and_counts_with_thousands_separators() -> None:
    with translation.override("nl"):
        assert _render("{{ v|money:0 }}", v=Decimal("50000")) == "€ 50.000"
        assert _render("{{ n|number }}", n=1234567) == "1.234.567"
        assert _render("{{ n|number }}", n=999) == "999"
        assert _render("{{ p|number }}", p=Decimal("33.33")) == "33,33"
        assert _render("{{ p|number }}", p=Decimal("70.00")) == "70"
    with translation.override("en"):
        assert _render("{{ n|number }}", n=1234567) == "1,234,567"
        assert format_money(Decimal("-2072.40")) == "-€2,072.40"


def test_an_amount_in_csv_is_a_plain_decimal_with_a_point() -> None:
    lines: list[list[Any]] = [
        ["Budget", "Bedrag (EUR)"],
        ["Oost", Money(Decimal("2072.4"))],
        ["West", Money(None)],
    ]
    lines.append(["-Min", Money(Decimal("-1234567.5"))])
    for language in ("nl", "en"):  # the same file whatever the language of the screen
        with translation.override(language):
            buffer = io.StringIO()
            csv.writer(buffer).writerows(csv_line(line) for line in lines)
            rows = list(csv.reader(io.StringIO(buffer.getvalue())))
            assert rows == [
                ["Budget", "Bedrag (EUR)"],
                ["Oost", "2072.40"],
                ["West", ""],
                ["'-Min", "-1234567.50"],  # text still guarded, the amount not
            ]


def test_an_amount_in_xlsx_is_a_number_with_a_euro_format() -> None:
    data = workbook_bytes([("Budgetten", [["Bedrag (EUR)"], [Money(Decimal("2072.40"))]])])
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.value == pytest.approx(2072.40)
    assert isinstance(cell.value, int | float)
    assert cell.number_format == XLSX_MONEY_FORMAT
    assert "€" in cell.number_format and "#,##0.00" in cell.number_format
