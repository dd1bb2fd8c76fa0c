"""Money and counts as people read them, in the active language: one place, so a page
never shows "€ 2072.40" next to "€ 1.380,00".

Dutch: "€ 2.072,40", "€ -12,50", "12.345". English: "€2,072.40", "-€12.50", "12,345".
Amounts are Decimal and stay Decimal: rounding is done with `quantize` (half up, as on a
bill), never through a float. Exports use their own, language-free format: see
`core.exports` and docs/formats.md.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import formats, translation

CENT = Decimal("0.01")


def to_decimal(value: Any) -> Decimal | None:
    """A Decimal for an amount as stored (Decimal, int, or its text); None for none."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        # Through the text, so a float that slipped in keeps its written digits.
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_number(value: Any, decimals: int | None = None) -> str:
    """A count or number with the language's thousands separator: 12.345 / 12,345."""
    number = to_decimal(value)
    if number is None:
        return ""
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_money(value: Any, decimals: int | None = None) -> str:
    """An amount in euros: two decimals for amounts (Decimal), whole euros for amounts
    kept as whole euros (int, such as voting budgets), unless `decimals` says otherwise.
    Empty for no amount."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 2
    amount = amount.quantize(CENT if decimals == 2 else Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    negative = amount < 0
    digits = formats.number_format(
        abs(amount), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
    if (translation.get_language() or "nl").startswith("en"):
        return f"-€{digits}" if negative else f"€{digits}"
    # Dutch (CLDR nl): the sign between the euro sign and the number.
    return f"€ -{digits}" if negative else f"€ {digits}"
