"""Money on the voting pages, written the Dutch way: "€ 10.000"."""

from __future__ import annotations

from django import template

from buurtkracht.voting.services import euros

register = template.Library()


@register.filter
def euro(amount: int) -> str:
    return euros(int(amount or 0))
