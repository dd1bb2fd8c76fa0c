"""Reads on the core vocabulary."""

from __future__ import annotations

import uuid

from django.http import Http404

from buurtkracht.core.models import Area, PostcodeRange


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


def uuid_or_404(pk: str) -> uuid.UUID:
    """An id from a URL that must be a UUID: anything else is a page that does not exist
    (URLs take it as text, so that an anonymous visitor is sent to the login page first)."""
    try:
        return uuid.UUID(pk)
    except ValueError:
        raise Http404 from None
