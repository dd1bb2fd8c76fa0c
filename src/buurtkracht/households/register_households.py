"""Households proposed from the register, and where the register and the worker differ.

The BRP knows persons, addresses and relations, not households. The import proposes one
household per address: a person arriving at an address joins the household living there
today (also an empty file made at an intake), else a new one. Roles follow the relations:
the first (oldest adult, with most relatives at the address) is the main resident, their
partner the partner, children of either the children, their parents the parents, other
relatives other relatives, the rest housemates. Workers correct this where life differs
(`households.composition`); the import does not undo it (`register_import`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from buurtkracht.core.bulk import insert_rows
from buurtkracht.households.models import Household, Membership, Person, RegisterEntry

if TYPE_CHECKING:
    from buurtkracht.households.register_import import RegisterImport

Role = Membership.Role
_CHUNK = 5000
_ADULT_DAYS = 18 * 365


@dataclass(frozen=True, slots=True)
class Arrival:
    """A person the register places at an address from `since`."""

    person_id: int
    bsn: str
    address_id: int
    neighbourhood_id: int | None
    since: dt.date | None
    date_of_birth: dt.date | None
    partners: frozenset[str]
    parents: frozenset[str]
    children: frozenset[str]
    kind: str  # new, born (new persons); registered (known, new to the register), moved


def _head_first(group: list[Arrival]) -> list[Arrival]:
    """The main resident first: an adult, with the most relatives at the address, oldest."""
    bsns = {a.bsn for a in group}
    day = timezone.localdate()

    def key(a: Arrival) -> tuple[bool, int, dt.date]:
        born = a.date_of_birth or dt.date.min
        adult = a.date_of_birth is None or (a.since or day) - born >= dt.timedelta(_ADULT_DAYS)
        related = len((a.partners | a.children) & bsns)
        return (not adult, -related, born)

    return sorted(group, key=key)


def role_for(arrival: Arrival, members: list[tuple[str, str]]) -> str:
    """The role of `arrival` among the household's `members` (BSN, role)."""
    if not members:
        return Role.HEAD
    heads = {bsn for bsn, role in members if role == Role.HEAD}
    couple = {bsn for bsn, role in members if role in (Role.HEAD, Role.PARTNER)}
    if heads & arrival.partners:
        return Role.PARTNER
    if couple & arrival.parents:
        return Role.CHILD
    if couple & arrival.children:
        return Role.PARENT
    if {bsn for bsn, _role in members} & (arrival.partners | arrival.parents | arrival.children):
        return Role.OTHER_RELATIVE
    return Role.HOUSEMATE


def households_place(
    arrivals: list[Arrival],
    outcome: RegisterImport,
    *,
    progress: Callable[[int, int], None] | None = None,
    offset: int = 0,
) -> None:
    """Give each arrival a membership in the household at their address, unless a
    household holds them already (a worker placed them: left as it is)."""
    arrivals = sorted(arrivals, key=lambda a: a.address_id)
    start = 0
    while start < len(arrivals):
        # A chunk ends between addresses, so that one address is placed at once.
        end = min(start + _CHUNK, len(arrivals))
        while end < len(arrivals) and arrivals[end].address_id == arrivals[end - 1].address_id:
            end += 1
        _place_chunk(arrivals[start:end], outcome)
        start = end
        if progress is not None:
            progress(offset + offset * start // len(arrivals), 2 * offset)


def _place_chunk(arrivals: list[Arrival], outcome: RegisterImport) -> None:
    maybe_held = [a.person_id for a in arrivals if a.kind in ("moved", "registered")]
    held = set()
    if maybe_held:
        held = set(
            Membership.objects.filter(
                person_id__in=maybe_held, end_date__isnull=True, household__end_date__isnull=True
            ).values_list("person_id", flat=True)
        )
    arrivals = [a for a in arrivals if a.person_id not in held]
    if not arrivals:
        return
    address_ids = {a.address_id for a in arrivals}
    household_at: dict[int, int] = {}
    for pk, address_id in (
        Household.objects.filter(address_id__in=address_ids, end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", "address_id")
    ):
        household_at[address_id] = pk  # the newest current household at the address
    members: dict[int, list[tuple[str, str]]] = {}
    for household_id, bsn, role in Membership.objects.filter(
        household_id__in=list(household_at.values()), end_date__isnull=True
    ).values_list("household_id", "person__bsn", "role"):
        members.setdefault(household_id, []).append((bsn or "", role))
    by_address: dict[int, list[Arrival]] = {}
    for arrival in arrivals:
        by_address.setdefault(arrival.address_id, []).append(arrival)
    new_households = [
        (
            address_id,
            min((a.since for a in group if a.since), default=None),
            group[0].neighbourhood_id,
        )
        for address_id, group in by_address.items()
        if address_id not in household_at
    ]
    made = insert_rows(
        Household,
        ("address_id", "start_date", "neighbourhood_id"),
        new_households,
        returning_ids=True,
    )
    for values, pk in zip(new_households, made, strict=True):
        household_at[values[0]] = pk
    outcome.households_new += len(made)
    memberships: list[tuple[int, int, str, dt.date | None, bool]] = []
    for address_id, group in by_address.items():
        household_id = household_at[address_id]
        present = members.setdefault(household_id, [])
        for arrival in _head_first(group):
            role = role_for(arrival, present)
            present.append((arrival.bsn, role))
            memberships.append((household_id, arrival.person_id, role, arrival.since, True))
    insert_rows(
        Membership,
        ("household_id", "person_id", "role", "start_date", "from_register"),
        memberships,
    )


def households_end_empty(household_ids: Iterable[int]) -> int:
    """End the households among these that nobody lives in any more: the day after the
    last member left ("moved out on"). Their file, members and history stay."""
    ids = list(household_ids)
    ended = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        occupied = set(
            Membership.objects.filter(household_id__in=chunk, end_date__isnull=True).values_list(
                "household_id", flat=True
            )
        )
        empty = [pk for pk in chunk if pk not in occupied]
        last_days = dict(
            Household.objects.filter(pk__in=empty, end_date__isnull=True)
            .annotate(last=Max("memberships__end_date"))
            .values_list("pk", "last")
        )
        by_day: dict[dt.date, list[int]] = {}
        for pk, last in last_days.items():
            if last is not None:
                by_day.setdefault(last + dt.timedelta(days=1), []).append(pk)
        for day, pks in by_day.items():
            ended += Household.objects.filter(pk__in=pks).update(end_date=day)
    return ended


@dataclass(frozen=True)
class RegisterDifference:
    """A resident on whom the register and the household's composition differ."""

    person: Person
    says: str  # lives_elsewhere, departed, died, lives_here


def register_differences(household: Household) -> list[RegisterDifference]:
    """Where the register's view differs from the composition the worker keeps: current
    members the register places elsewhere (or gone), and persons the register places at
    this address who are in no household here."""
    found: list[RegisterDifference] = []
    current = list(
        household.current_memberships().select_related("person", "person__register_entry")
    )
    member_ids = {m.person_id for m in current}
    for membership in current:
        entry = getattr(membership.person, "register_entry", None)
        if entry is None:
            continue
        if entry.died_on:
            found.append(RegisterDifference(membership.person, "died"))
        elif entry.departed_on:
            found.append(RegisterDifference(membership.person, "departed"))
        elif entry.address_id and entry.address_id != household.address_id:
            found.append(RegisterDifference(membership.person, "lives_elsewhere"))
    if household.end_date is None:
        housed_here = Membership.objects.filter(
            household__address_id=household.address_id, end_date__isnull=True
        ).values_list("person_id", flat=True)
        for entry in (
            RegisterEntry.objects.filter(
                address_id=household.address_id, died_on__isnull=True, departed_on__isnull=True
            )
            .exclude(person_id__in=member_ids)
            .exclude(person_id__in=housed_here)
            .select_related("person")
        ):
            found.append(RegisterDifference(entry.person, "lives_here"))
    return found


def household_in_register(household: Household) -> bool:
    """Whether the register has spoken about anyone in this household."""
    return RegisterEntry.objects.filter(person__memberships__household=household).exists()
