"""Addresses from the BAG (Basisregistratie Adressen en Gebouwen): bring the
municipality's addresses in step with a file of nummeraanduidingen (writes; docs/register.md).

`core.bag.address_file_read` reads and checks the file; this module writes the rows into
`core.Address`, keeps the households on them in their neighbourhood and records the import
in the audit log. It lives with the register (households), not on the ground floor: the
ground does not write audit entries of its own (docs/decisions/0006-floors.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import Actor, audit_record
from buurtkracht.core.bag import AddressRow, RowError
from buurtkracht.core.models import Address, Area
from buurtkracht.core.queries import PostcodeTable
from buurtkracht.households.models import Household


@dataclass
class AddressImport:
    """What an import of BAG addresses did; `errors` are the rows set aside."""

    rows: int = 0
    new: int = 0
    changed: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    # Withdrawn in the BAG but never known here: not created.
    withdrawn_unknown: int = 0
    # Current addresses in no neighbourhood (no buurtcode, outside the postcode table).
    unplaced: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def set_aside(self) -> int:
        """Rows not taken in (a row may have several errors)."""
        return len({e.line for e in self.errors})

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": self.new,
            "changed": self.changed,
            "withdrawn": self.withdrawn,
            "unchanged": self.unchanged,
            "withdrawn_unknown": self.withdrawn_unknown,
            "unplaced": self.unplaced,
            "set_aside": self.set_aside,
        }


_ADDRESS_FIELDS = (
    "bag_id",
    "street",
    "postcode",
    "house_number",
    "house_letter",
    "addition",
    "town",
    "neighbourhood_id",
    "withdrawn_on",
)


def addresses_import(
    rows: Iterable[AddressRow],
    *,
    errors: Iterable[RowError] = (),
    on: dt.date | None = None,
    user: Actor | None = None,
    source: str = "",
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> AddressImport:
    """Bring the addresses in step with a BAG file (rows from `core.bag.address_file_read`).

    New nummeraanduidingen are created; changed ones are updated in place, so that every
    household on them keeps its address; withdrawn ones get `withdrawn_on` (`on`, default
    today) and are never deleted. An address typed in before (no BAG id) is matched by
    postcode, number, letter and addition and gets the id. Importing the same file twice
    changes nothing. Rows that cannot be taken in are returned as errors; all others are
    kept. One audit entry records the counts."""
    day = on or timezone.localdate()
    outcome = AddressImport(errors=list(errors))
    read = list(rows)
    outcome.rows = len(read) + outcome.set_aside
    checked = _addresses_checked(read, outcome)
    # Withdrawals first: a door whose old address is withdrawn may get a new one.
    ordered = [r for r in checked if r.withdrawn] + [r for r in checked if not r.withdrawn]
    placer = _Placer({r.neighbourhood_code for r in checked if r.neighbourhood_code})
    placer.current_doors = {r.key for r in checked if not r.withdrawn}
    with transaction.atomic():
        for start in range(0, len(ordered), batch_size):
            _addresses_batch(ordered[start : start + batch_size], outcome, placer, day)
            if progress is not None:
                progress(min(start + batch_size, len(ordered)), len(ordered))
        outcome.errors.sort(key=lambda e: e.line)
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            username="" if user else "operator (import_bag_addresses)",
            ground=Ground.ROLE,
            details={"import": "BAG addresses", "source": source[:200], **outcome.counts()},
        )
    return outcome


def _addresses_checked(rows: list[AddressRow], outcome: AddressImport) -> list[AddressRow]:
    """Rows that do not clash with an earlier row of the file or name an unknown buurt."""
    known = set(
        Area.objects.filter(
            kind=Area.Kind.NEIGHBOURHOOD,
            cbs_code__in={r.neighbourhood_code for r in rows if r.neighbourhood_code},
        ).values_list("cbs_code", flat=True)
    )
    lines_by_id: dict[str, int] = {}
    lines_by_key: dict[tuple[str, int, str, str], int] = {}
    kept: list[AddressRow] = []
    for row in rows:
        if (line := lines_by_id.get(row.bag_id)) is not None:
            message = _(
                "nummeraanduiding_id %(id)s is on line %(line)s too: keep one of the two lines."
            ) % {"id": row.bag_id, "line": line}
        elif not row.withdrawn and (line := lines_by_key.get(row.key)) is not None:
            message = _(
                "line %(line)s has the same postcode, house number, letter and addition "
                "under another nummeraanduiding_id: a door has one current address. Check "
                "which of the two is withdrawn."
            ) % {"line": line}
        elif row.neighbourhood_code and row.neighbourhood_code not in known:
            message = _(
                "buurtcode %(code)s is not a neighbourhood of this municipality here: add "
                "the neighbourhood first, or leave the column empty so that the postcode "
                "table decides."
            ) % {"code": row.neighbourhood_code}
        else:
            lines_by_id[row.bag_id] = row.line
            if not row.withdrawn:
                lines_by_key[row.key] = row.line
            kept.append(row)
            continue
        outcome.errors.append(RowError(row.line, message))
    return kept


class _Placer:
    """The neighbourhood of an address: its buurtcode, else the postcode table, read once
    (`core.queries.PostcodeTable`)."""

    def __init__(self, codes: set[str]) -> None:
        self.by_code = dict(Area.objects.filter(cbs_code__in=codes).values_list("cbs_code", "pk"))
        self.postcodes = PostcodeTable()
        # The doors with a current address in the file: an address typed in at such a
        # door is that one, not a withdrawn one at the same door.
        self.current_doors: set[tuple[str, int, str, str]] = set()

    def place(self, row: AddressRow) -> int | None:
        if row.neighbourhood_code:
            return self.by_code[row.neighbourhood_code]
        return self.postcodes.neighbourhood_id(row.postcode, row.house_number)


def _address_key(address: Address) -> tuple[str, int, str, str]:
    return (address.postcode, address.house_number, address.house_letter, address.addition)


def _addresses_batch(
    rows: list[AddressRow], outcome: AddressImport, placer: _Placer, day: dt.date
) -> None:
    by_id = {a.bag_id: a for a in Address.objects.filter(bag_id__in=[r.bag_id for r in rows])}
    at_door = {
        _address_key(a): a
        for a in Address.objects.filter(
            withdrawn_on__isnull=True, postcode__in={r.postcode for r in rows}
        )
    }
    new: list[Address] = []
    withdrawn: list[Address] = []
    # Usually one or two fields change (a street renamed): updated per set of fields.
    changed: dict[tuple[str, ...], list[Address]] = {}
    moved: list[Address] = []
    for row in rows:
        address = by_id.get(row.bag_id)
        occupant = at_door.get(row.key)
        claimable = not (row.withdrawn and row.key in placer.current_doors)
        if address is None and occupant is not None and occupant.bag_id is None and claimable:
            address = occupant
        if row.withdrawn:
            if address is None:
                outcome.withdrawn_unknown += 1
            elif address.withdrawn_on is None or address.bag_id is None:
                address.bag_id = row.bag_id
                address.withdrawn_on = address.withdrawn_on or day
                at_door.pop(_address_key(address), None)
                withdrawn.append(address)
                outcome.withdrawn += 1
            else:
                outcome.unchanged += 1
            continue
        if occupant is not None and (address is None or occupant.pk != address.pk):
            outcome.errors.append(RowError(row.line, _address_taken(occupant)))
            continue
        wanted = {
            "bag_id": row.bag_id,
            "street": row.street,
            "postcode": row.postcode,
            "house_number": row.house_number,
            "house_letter": row.house_letter,
            "addition": row.addition,
            "town": row.town,
            "neighbourhood_id": placer.place(row) or getattr(address, "neighbourhood_id", None),
            "withdrawn_on": None,
        }
        outcome.unplaced += wanted["neighbourhood_id"] is None
        if address is None:
            address = Address(**wanted)
            new.append(address)
            outcome.new += 1
        elif differing := tuple(f for f, v in wanted.items() if getattr(address, f) != v):
            old_key = _address_key(address)
            for name, value in wanted.items():
                setattr(address, name, value)
            if old_key != row.key:
                at_door.pop(old_key, None)
                moved.append(address)
            else:
                changed.setdefault(differing, []).append(address)
            outcome.changed += 1
        else:
            outcome.unchanged += 1
        at_door[row.key] = address
    # Doors are freed before they are taken, and a new door is saved one by one in file
    # order, so that no two current addresses share a door even for a moment (the unique
    # constraint checks row by row).
    Address.objects.bulk_update(withdrawn, _ADDRESS_FIELDS)
    for address in moved:
        Address.objects.filter(pk=address.pk).update(
            **{f: getattr(address, f) for f in _ADDRESS_FIELDS}
        )
    for fields, addresses in changed.items():
        Address.objects.bulk_update(addresses, fields)
    Address.objects.bulk_create(new)
    _households_follow([*moved, *itertools.chain.from_iterable(changed.values())])


def _address_taken(occupant: Address) -> str:
    return _(
        "the address %(address)s is already in use by %(by)s. If that address moves or is "
        "withdrawn further down this file, import the file again; otherwise correct the line."
    ) % {
        "address": occupant.street_line,
        "by": _("nummeraanduiding %(id)s") % {"id": occupant.bag_id}
        if occupant.bag_id
        else _("an address typed in here"),
    }


def _households_follow(addresses: list[Address]) -> None:
    """Households keep their address's neighbourhood (as `Address.save` does)."""
    households = Household.objects
    by_neighbourhood: dict[int | None, list[int]] = {}
    for address in addresses:
        by_neighbourhood.setdefault(address.neighbourhood_id, []).append(address.pk)
    for neighbourhood_id, ids in by_neighbourhood.items():
        for start in range(0, len(ids), 900):
            households.filter(address_id__in=ids[start : start + 900]).exclude(
                neighbourhood_id=neighbourhood_id
            ).update(neighbourhood_id=neighbourhood_id)
