"""Writes on the core vocabulary. Views, admin and commands call these, not the ORM."""

from __future__ import annotations

from django.db import transaction

from buurtkracht.core.models import Address, Area, Municipality
from buurtkracht.core.queries import address_at, neighbourhood_for


@transaction.atomic
def municipality_create(*, name: str, cbs_code: str) -> Municipality:
    """Create a municipality after checking its CBS code (GM####)."""
    municipality = Municipality(name=name.strip(), cbs_code=cbs_code.strip().upper())
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def area_create(
    *,
    municipality: Municipality,
    kind: str,
    cbs_code: str,
    name: str,
    parent: Area | None = None,
    inhabitants: int = 0,
) -> Area:
    """Create a district or neighbourhood; its CBS code must nest in its parent's."""
    area = Area(
        municipality=municipality,
        kind=kind,
        cbs_code=cbs_code.strip().upper(),
        name=name.strip(),
        parent=parent,
        inhabitants=inhabitants,
    )
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def address_create(
    *,
    street: str,
    house_number: int,
    postcode: str,
    town: str,
    house_letter: str = "",
    addition: str = "",
) -> Address:
    """Find or create an address, resolving its neighbourhood from the postcode table.

    An address that exists already is returned as it is: an address is a place, and two
    intakes at one door must meet at one record. A withdrawn address (BAG) is not offered
    for a new registration: when the door has only a withdrawn one, this refuses.
    """
    address = Address(
        street=street.strip(),
        house_number=house_number,
        house_letter=house_letter.strip(),
        addition=addition.strip(),
        postcode=postcode,
        town=town.strip(),
    )
    address.full_clean(validate_unique=False, validate_constraints=False)
    existing = address_at(
        postcode=address.postcode,
        house_number=address.house_number,
        house_letter=address.house_letter,
        addition=address.addition,
    )
    if existing:
        return existing
    address.neighbourhood = neighbourhood_for(
        postcode=address.postcode, house_number=address.house_number
    )
    address.save()
    return address
