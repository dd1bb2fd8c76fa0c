"""Reads on the core vocabulary."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.core.models import Address, Area, PostcodeRange


def neighbourhood_for(*, postcode: str, house_number: int) -> Area | None:
    """The neighbourhood an address lies in, from the postcode range table.

    `postcode` is the compact form (`1234AB`). When ranges overlap, the narrowest
    (latest-starting) one wins, so a municipality can carve exceptions out of a wide range.
    """
    match = (
        PostcodeRange.objects.filter(
            postcode_from__lte=postcode,
            postcode_to__gte=postcode,
            number_from__lte=house_number,
            number_to__gte=house_number,
        )
        .select_related("neighbourhood")
        .order_by("-postcode_from", "-number_from")
        .first()
    )
    return match.neighbourhood if match else None


class PostcodeTable:
    """The postcode range table read once, for placing many addresses without a query each
    (an import, a partner's delivery): the same rule as `neighbourhood_for` — of the ranges
    that hold the address, the latest-starting wins."""

    def __init__(self) -> None:
        self.table = list(
            PostcodeRange.objects.order_by("postcode_from", "number_from").values_list(
                "postcode_from", "postcode_to", "number_from", "number_to", "neighbourhood_id"
            )
        )
        self.starts = [r[0] for r in self.table]
        # reach[i]: the highest postcode_to of table[:i + 1], to stop looking back early.
        self.reach = list(itertools.accumulate((r[1] for r in self.table), max))
        self.ranges: dict[str, list[tuple[int, int, int]]] = {}

    def neighbourhood_id(self, postcode: str, house_number: int) -> int | None:
        """The neighbourhood of the address (`postcode` compact), or None outside the table."""
        if postcode not in self.ranges:
            self.ranges[postcode] = self._ranges(postcode)
        for low, high, neighbourhood_id in self.ranges[postcode]:
            if low <= house_number <= high:
                return neighbourhood_id
        return None

    def _ranges(self, postcode: str) -> list[tuple[int, int, int]]:
        """The ranges that hold `postcode`, latest-starting first."""
        found = []
        i = bisect.bisect_right(self.starts, postcode) - 1
        while i >= 0 and self.reach[i] >= postcode:
            start, end, low, high, neighbourhood_id = self.table[i]
            if end >= postcode:
                found.append((start, low, high, neighbourhood_id))
            i -= 1
        found.sort(key=lambda r: (r[0], r[1]), reverse=True)
        return [(low, high, neighbourhood_id) for _start, low, high, neighbourhood_id in found]


def address_at(
    *, postcode: str, house_number: int, house_letter: str = "", addition: str = ""
) -> Address | None:
    """The current address at a door (`postcode` compact, letter and addition upper case),
    or None. A door with only a withdrawn address (BAG) is refused with a ValidationError
    on `postcode`: a withdrawn address stays on existing files but is not offered for new
    registrations (docs/register.md)."""
    at_door = Address.objects.filter(
        postcode=postcode, house_number=house_number, house_letter=house_letter, addition=addition
    )
    if existing := at_door.filter(withdrawn_on__isnull=True).first():
        return existing
    if withdrawn := at_door.order_by("-withdrawn_on").first():
        raise ValidationError(
            {
                "postcode": _(
                    "The address %(address)s was withdrawn in the BAG on %(date)s: it no "
                    "longer exists. Check the postcode and house number with the resident."
                )
                % {"address": withdrawn.street_line, "date": f"{withdrawn.withdrawn_on:%d-%m-%Y}"}
            }
        )
    return None


def uuid_or_404(pk: str) -> uuid.UUID:
    """An id from a URL that must be a UUID: anything else is a page that does not exist
    (URLs take it as text, so that an anonymous visitor is sent to the login page first)."""
    try:
        return uuid.UUID(pk)
    except ValueError:
        raise Http404 from None


def in_force(on: dt.date | None = None, *, prefix: str = "", end_inclusive: bool = True) -> Q:
    """Rows of a period (`start_date`–`end_date`, both inclusive, empty = open) that run
    on `on`, by default today in Amsterdam: memberships, involvements, team positions.
    `prefix` reaches them through a relation, e.g. `in_force(prefix="involvements__")`.
    A household's `end_date` is the day it moved out ("moved out on"): nobody lives there
    that day, so it is read with `end_inclusive=False`.
    The one place this rule is written, so that "today" means the same everywhere."""
    day = on or timezone.localdate()
    end = f"{prefix}end_date__gte" if end_inclusive else f"{prefix}end_date__gt"
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": day})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{end: day})
    )


def not_ended(on: dt.date | None = None, *, prefix: str = "") -> Q:
    """Rows of a period that have not ended by `on` (today by default): a start in the
    future still counts, as for an involvement planned to begin next week."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
