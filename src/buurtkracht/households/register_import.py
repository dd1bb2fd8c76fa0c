"""Bringing the residents in step with a register extract (BRP, docs/register.md).

The register knows persons and where they live, not households. The import keeps, per
person, the register's view (`RegisterEntry`) and acts on what *changed* in it since the
last extract: a new resident, a move, a birth, a death, a new name, a departure from the
municipality. Households are proposed by address and relations (`register_households`).

What the worker decided is not undone blindly: the import ends only the memberships it
made itself (`Membership.from_register`) — except at a death, which ends every one — and
places a person only when no household holds them. Where the worker's composition and the
register differ, the difference is shown (`register_differences`), not overwritten.
Nothing is deleted: memberships and households end with their date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import Actor, audit_record
from buurtkracht.core.bag import RowError
from buurtkracht.core.bulk import insert_rows, update_rows
from buurtkracht.core.models import Address, Municipality
from buurtkracht.households.brp_extract import RegisterPerson, register_extract_read
from buurtkracht.households.models import Membership, Person, RegisterEntry
from buurtkracht.households.register_households import Arrival, households_place

T = TypeVar("T")
_CHUNK = 5000
_BIRTH_WINDOW = dt.timedelta(days=31)
_RECENT_BIRTH = dt.timedelta(days=366)
_NAME_FIELDS = (
    "initials",
    "given_names",
    "surname_prefix",
    "surname",
    "birth_surname_prefix",
    "birth_surname",
    "date_of_birth",
)


@dataclass
class RegisterImport:
    """What an import of a register extract did; `errors` are the lines set aside."""

    lines: int = 0
    unchanged: int = 0
    new: int = 0
    born: int = 0
    moved: int = 0
    died: int = 0
    renamed: int = 0
    departed: int = 0
    # In the extract but not living here and never known here (left before, or died):
    # not taken in (data minimisation).
    not_resident: int = 0
    households_new: int = 0
    households_ended: int = 0
    # Moves and departures where a worker's membership holds the person: left as the
    # worker set it, shown as a difference with the register.
    kept_by_worker: int = 0
    errors: list[RowError] = field(default_factory=list)
    subjects: dict[str, list[int]] = field(default_factory=dict)

    @property
    def set_aside(self) -> int:
        return len({e.line for e in self.errors})

    def counts(self) -> dict[str, int]:
        return {
            "lines": self.lines,
            "unchanged": self.unchanged,
            "new": self.new,
            "born": self.born,
            "moved": self.moved,
            "died": self.died,
            "renamed": self.renamed,
            "departed": self.departed,
            "not_resident": self.not_resident,
            "households_new": self.households_new,
            "households_ended": self.households_ended,
            "kept_by_worker": self.kept_by_worker,
            "set_aside": self.set_aside,
        }

    def note(self, change: str, person_id: int) -> None:
        self.subjects.setdefault(change, []).append(person_id)


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def municipality_codes() -> list[str]:
    """The four-digit CBS codes of the municipalities kept here."""
    return [c.removeprefix("GM") for c in Municipality.objects.values_list("cbs_code", flat=True)]


def known_line_prints() -> set[int]:
    return set(RegisterEntry.objects.values_list("line_print", flat=True).iterator(20000))


def register_import(
    lines: Iterable[bytes],
    *,
    on: dt.date | None = None,
    user: Actor | None = None,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> RegisterImport:
    """Read an extract (lines of JSON, docs/register.md) and apply what changed.

    Idempotent: a line exactly as imported before is skipped unread, and a person whose
    register view did not change is not touched. `on` (default today) dates a move or
    departure the extract gives no date for. All in one transaction; every change is
    audited per kind with the residents it concerns."""
    day = on or timezone.localdate()
    read = register_extract_read(
        lines, municipality_codes=municipality_codes(), known_prints=known_line_prints()
    )
    outcome = RegisterImport(lines=read.lines, unchanged=read.unchanged, errors=read.errors)
    total = 2 * len(read.persons)
    with transaction.atomic():
        arrivals: list[Arrival] = []
        for done, chunk in enumerate(_chunks(read.persons), start=1):
            arrivals += _persons_apply(chunk, outcome, day)
            if progress is not None:
                progress(min(done * _CHUNK, len(read.persons)), total)
        households_place(arrivals, outcome, progress=progress, offset=len(read.persons))
        if progress is not None:
            progress(total, total)
        outcome.errors.sort(key=lambda e: e.line)
        _audit(outcome, user, source)
    return outcome


@dataclass
class _Known:
    pk: int
    date_of_death: dt.date | None
    entry: RegisterEntry | None


def _known(persons: Sequence[RegisterPerson]) -> dict[str, _Known]:
    found: dict[str, _Known] = {}
    for bsn, pk, died in Person.objects.filter(bsn__in=[p.bsn for p in persons]).values_list(
        "bsn", "pk", "date_of_death"
    ):
        found[str(bsn)] = _Known(pk, died, None)
    by_pk = {k.pk: k for k in found.values()}
    for entry in RegisterEntry.objects.filter(person_id__in=list(by_pk)):
        by_pk[entry.person_id].entry = entry
    return found


def _addresses(persons: Sequence[RegisterPerson]) -> dict[str, tuple[int, int | None]]:
    """Address pk and neighbourhood per BAG id, and per door as `postcode number letter
    addition` for lines without a known BAG id."""
    found: dict[str, tuple[int, int | None]] = {}
    bag_ids = [p.bag_id for p in persons if p.bag_id]
    for bag_id, pk, area in Address.objects.filter(bag_id__in=bag_ids).values_list(
        "bag_id", "pk", "neighbourhood_id"
    ):
        found[str(bag_id)] = (pk, area)
    postcodes = {p.door[0] for p in persons if p.door and p.bag_id not in found}
    if postcodes:
        for values in Address.objects.filter(
            postcode__in=postcodes, withdrawn_on__isnull=True
        ).values_list(
            "postcode", "house_number", "house_letter", "addition", "pk", "neighbourhood_id"
        ):
            found[_door_key(values[:4])] = (values[4], values[5])
    return found


def _door_key(door: Sequence[Any]) -> str:
    return " ".join(str(part) for part in door)


def _address_of(
    person: RegisterPerson, addresses: dict[str, tuple[int, int | None]]
) -> tuple[int, int | None] | None:
    if person.bag_id and person.bag_id in addresses:
        return addresses[person.bag_id]
    if person.door is not None:
        return addresses.get(_door_key(person.door))
    return None


def _unknown_address(person: RegisterPerson) -> RowError:
    where = " ".join(str(part) for part in person.door if part) if person.door else person.bag_id
    return RowError(
        person.line,
        _(
            "the address %(address)s is not among the municipality's addresses. Import the "
            "BAG addresses first (import_bag_addresses), then this extract again."
        )
        % {"address": where},
    )


_PERSON_COLUMNS = ("bsn", *_NAME_FIELDS)
_ENTRY_COLUMNS = (
    "person_id",
    "address_id",
    "living_since",
    "departed_on",
    "died_on",
    "identity_print",
    "line_print",
    "updated_on",
)


def _person_values(person: RegisterPerson) -> tuple[Any, ...]:
    return (
        person.bsn,
        person.initials,
        person.given_names,
        person.surname_prefix,
        person.surname,
        person.birth_surname_prefix,
        person.birth_surname,
        person.date_of_birth,
    )


def _entry_values(
    person_id: int, person: RegisterPerson, address_id: int | None, day: dt.date
) -> tuple[Any, ...]:
    return (
        person_id,
        address_id,
        person.living_since if address_id else None,
        person.departed_on,
        person.date_of_death,
        person.identity_print,
        person.line_print,
        day,
    )


def _entry_set(
    entry: RegisterEntry, person: RegisterPerson, address_id: int | None, day: dt.date
) -> None:
    values = _entry_values(entry.person_id, person, address_id, day)
    for name, value in zip(_ENTRY_COLUMNS[1:], values[1:], strict=True):
        setattr(entry, name, value)


def _persons_apply(
    persons: Sequence[RegisterPerson], outcome: RegisterImport, day: dt.date
) -> list[Arrival]:
    """Create, rename, mark deaths and end memberships for one chunk; return who arrives
    at an address (placed in households once every chunk has ended what ends)."""
    known = _known(persons)
    addresses = _addresses(persons)
    new: list[tuple[RegisterPerson, tuple[int, int | None]]] = []
    entries_new: list[tuple[Any, ...]] = []
    entries_changed: list[RegisterEntry] = []
    renamed: list[Person] = []
    died: list[Person] = []
    ends: dict[int, tuple[dt.date, bool]] = {}  # person -> (last day, every membership)
    arrivals: list[Arrival] = []
    for person in persons:
        place = _address_of(person, addresses)
        if place is None and (person.door is not None or person.bag_id):
            outcome.errors.append(_unknown_address(person))
            continue
        address_id = place[0] if place else None
        was = known.get(person.bsn)
        if was is None:
            if address_id is None or person.date_of_death is not None:
                outcome.not_resident += 1
                continue
            new.append((person, place))  # type: ignore[arg-type]
            continue
        entry = was.entry
        changed = False
        if entry is not None and entry.identity_print != person.identity_print:
            renamed.append(
                Person(pk=was.pk, **dict(zip(_PERSON_COLUMNS, _person_values(person), strict=True)))
            )
            outcome.renamed += 1
            outcome.note("name", was.pk)
            changed = True
        if person.date_of_death and was.date_of_death is None:
            died.append(Person(pk=was.pk, date_of_death=person.date_of_death))
            ends[was.pk] = (person.date_of_death, True)
            outcome.died += 1
            outcome.note("died", was.pk)
            changed = True
        elif person.departed_on and (entry is None or entry.departed_on != person.departed_on):
            ends[was.pk] = (person.departed_on - dt.timedelta(days=1), False)
            outcome.departed += 1
            outcome.note("departed", was.pk)
            changed = True
        elif address_id and (entry is None or entry.address_id != address_id):
            since = person.living_since or day
            if entry is not None and (entry.address_id or entry.departed_on):
                ends[was.pk] = (since - dt.timedelta(days=1), False)
                outcome.moved += 1
                outcome.note("moved", was.pk)
                kind = "moved"
            else:
                kind = "registered"
            arrivals.append(_arrival(person, was.pk, place, since, kind))  # type: ignore[arg-type]
            changed = True
        if entry is None:
            entries_new.append(_entry_values(was.pk, person, address_id, day))
        else:
            _entry_set(entry, person, address_id, day)
            entries_changed.append(entry)
        if not changed:
            outcome.unchanged += 1
    created = insert_rows(
        Person, _PERSON_COLUMNS, [_person_values(p) for p, _a in new], returning_ids=True
    )
    for (person, place), pk in zip(new, created, strict=True):
        entries_new.append(_entry_values(pk, person, place[0], day))
        # Registered at this address from birth, and born within the last year.
        born = bool(
            person.date_of_birth
            and person.living_since
            and dt.timedelta(0) <= person.living_since - person.date_of_birth <= _BIRTH_WINDOW
            and day - person.date_of_birth <= _RECENT_BIRTH
        )
        outcome.new += 1
        outcome.born += born
        outcome.note("born" if born else "new", pk)
        arrivals.append(_arrival(person, pk, place, person.living_since, "born" if born else "new"))
    update_rows(
        Person, _NAME_FIELDS, [(p.pk, *(getattr(p, f) for f in _NAME_FIELDS)) for p in renamed]
    )
    update_rows(Person, ["date_of_death"], [(p.pk, p.date_of_death) for p in died])
    insert_rows(RegisterEntry, _ENTRY_COLUMNS, entries_new)
    update_rows(
        RegisterEntry,
        _ENTRY_COLUMNS[1:],
        [(e.person_id, *(getattr(e, f) for f in _ENTRY_COLUMNS[1:])) for e in entries_changed],
    )
    _memberships_end(ends, outcome)
    return arrivals


def _arrival(
    person: RegisterPerson, pk: int, place: tuple[int, int | None], since: dt.date | None, kind: str
) -> Arrival:
    return Arrival(
        person_id=pk,
        bsn=person.bsn,
        address_id=place[0],
        neighbourhood_id=place[1],
        since=since,
        date_of_birth=person.date_of_birth,
        partners=frozenset(person.partners),
        parents=frozenset(person.parents),
        children=frozenset(person.children),
        kind=kind,
    )


def _memberships_end(ends: dict[int, tuple[dt.date, bool]], outcome: RegisterImport) -> None:
    """End the open memberships: at a death every one, otherwise those the register made.
    A household nobody lives in any more ends the day after its last member left."""
    if not ends:
        return
    ended: list[Membership] = []
    touched: set[int] = set()
    for membership in Membership.objects.filter(person_id__in=list(ends), end_date__isnull=True):
        last_day, every = ends[membership.person_id]
        if not (every or membership.from_register):
            outcome.kept_by_worker += 1
            continue
        membership.end_date = max(last_day, membership.start_date or last_day)
        ended.append(membership)
        touched.add(membership.household_id)
    update_rows(Membership, ["end_date"], [(m.pk, m.end_date) for m in ended])
    from buurtkracht.households.register_households import households_end_empty

    outcome.households_ended += households_end_empty(touched)


def _audit(outcome: RegisterImport, user: Actor | None, source: str) -> None:
    """One entry per kind of change and per 5,000 residents, naming them; one summary."""
    for change, ids in outcome.subjects.items():
        for chunk in _chunks(ids):
            audit_record(
                action=Action.CREATE if change in ("new", "born") else Action.UPDATE,
                user=user,
                username="" if user else "operator (import_brp_extract)",
                ground=Ground.ROLE,
                subjects=chunk,
                details={"import": "BRP extract", "change": change, "source": source[:200]},
            )
    audit_record(
        action=Action.UPDATE,
        user=user,
        username="" if user else "operator (import_brp_extract)",
        ground=Ground.ROLE,
        details={"import": "BRP extract", "source": source[:200], **outcome.counts()},
    )
