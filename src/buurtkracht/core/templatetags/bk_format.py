"""Money and counts in pages, in the active language: `{{ amount|money }}` gives
"€ 2.072,40" in Dutch and "€2,072.40" in English; `{{ count|number }}` gives "12.345".
See core.numbers."""

from __future__ import annotations

from typing import Any

from django import template

from buurtkracht.core.numbers import format_money, format_number
from buurtkracht.core.validators import link_error

register = template.Library()


@register.filter
def money(value: Any, decimals: Any = None) -> str:
    """`{{ amount|money }}`; `{{ amount|money:0 }}` for whole euros (estimates)."""
    return format_money(value, None if decimals in (None, "") else int(decimals))


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    """`{{ count|number }}`: a count with thousands separators."""
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def safe_link(value: Any) -> str:
    """`{{ url|safe_link }}`: the link if a browser may follow it (http, https, mailto,
    tel), else "" so that a stored `javascript:` link is shown as text, never as a link."""
    text = str(value or "")
    return text if text.strip() and link_error(text) is None else ""
