"""Looking beyond the signal's address: movers, neighbouring numbers, postcode typos.

When nobody at the signal's own address fits (status none), the person may live
elsewhere in the municipality:

- **moved**: the register's history says they lived at the signal's address (a
  membership there that has ended) and they live at another address now; or nobody
  with that history, but exactly one adult in the register has the name and the date of
  birth (a move the partner knows of and the register does not link);
- **typo in the address**: the partner typed a neighbouring house number (31 for 31A,
  30-a for 31A, 29 for 31) or one postcode character wrong (1234AB for 1234AP).

All of it is loaded for a whole batch at once (`load_elsewhere`: up to six queries per batch,
none per signal), and only for the signals that found nobody at their own address.
The evidence must be strong, as the address no longer vouches for the person:

=====================================================  =====================
evidence                                               status
=====================================================  =====================
lived here, surname fits, same date of birth,          automatic (to the new
first name or initials do not contradict               address and its team)
lived here, same surname, first name or all initials   automatic
equal, nobody else fits
lived here, surname fits, no date of birth             review
neighbouring number or postcode typo, surname fits,    automatic
same date of birth, first name or initials fit
neighbouring number or postcode typo, surname and      review
initials fit, no date of birth
nothing but name and date of birth, unique in town     review
=====================================================  =====================

Somebody else who fits as well makes it review; a contradicting date of birth or first
name excludes the candidate.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from buurtkracht.core.models import Address
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Membership
from buurtkracht.signals.matching.candidates import (
    ADULT_AGE,
    Candidate,
    CandidateIndex,
    _chunks,
    years_before,
)
from buurtkracht.signals.matching.names import (
    SignalFacts,
    _compact_postcode,
    _SignalName,
    _split_house_number,
    _suffix,
    usable_date_of_birth,
)
from buurtkracht.signals.matching.reasons import (
    R_AMBIGUOUS,
    R_HOUSEMATE_SURNAME,
    R_LIVED_HERE,
    R_MOVED,
    R_NEAR_ADDRESS,
    R_SAME_BIRTH_ELSEWHERE,
)
from buurtkracht.signals.matching.scoring import _dob_points, _name_points, _surname_points

# House numbers around the signal's that a typing error reaches (30 for 31, 29 for 31).
NEIGHBOUR_STEPS = (-2, -1, 1, 2)
_DIGITS = "0123456789"


@dataclass(frozen=True, slots=True)
class FoundAddress:
    """Where a candidate found elsewhere lives now."""

    address_id: int
    postcode: str
    house_number: int
    house_letter: str
    addition: str
    neighbourhood_id: int | None


@dataclass(slots=True)
class Elsewhere:
    """Adults away from the batch's addresses, by the way they may be the signal's person."""

    # Person ids that lived at an address (address id -> persons).
    lived_at: dict[int, set[int]] = field(default_factory=dict)
    # Current adult residents by person id, and the same by date of birth.
    people: dict[int, Candidate] = field(default_factory=dict)
    by_birth: dict[dt.date, list[Candidate]] = field(default_factory=dict)
    # Residents at neighbouring numbers or typo postcodes, by (postcode, number) asked.
    near: dict[tuple[str, int], list[Candidate]] = field(default_factory=dict)
    addresses: dict[int, FoundAddress] = field(default_factory=dict)


def _keyboard_neighbours() -> dict[str, str]:
    """Keys next to each other on a QWERTY keyboard (digits on the number row)."""
    rows = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
    near: dict[str, set[str]] = {}
    for r, row in enumerate(rows):
        for i, key in enumerate(row):
            found = near.setdefault(key, set())
            found.update(row[max(0, i - 1) : i] + row[i + 1 : i + 2])
            for other in (r - 1, r + 1):
                if 1 <= other < len(rows) and r >= 1:
                    found.update(rows[other][max(0, i - 1) : i + 2])
    return {key: "".join(sorted(keys - {key})) for key, keys in near.items()}


_TYPED_INSTEAD = _keyboard_neighbours()


def postcode_variants(postcode: str) -> set[str]:
    """Postcodes a typing error makes of `postcode` (the postcode itself left out): one
    character replaced by a neighbouring key (1234AB -> 1235AB, 1234AN), or two
    neighbouring characters swapped (1243AB). Not every letter of the alphabet: a
    hundred variants per signal would mostly find strangers."""
    if len(postcode) != 6:
        return set()
    variants: set[str] = set()
    for i, char in enumerate(postcode):
        for other in _TYPED_INSTEAD.get(char, ""):
            if (other in _DIGITS) == (i < 4) and not (i == 0 and other == "0"):
                variants.add(postcode[:i] + other + postcode[i + 1 :])
    for i in (0, 1, 2, 4):
        swapped = postcode[:i] + postcode[i + 1] + postcode[i] + postcode[i + 2 :]
        if swapped != postcode:
            variants.add(swapped)
    return variants


def _near_keys(postcode: str, number: int, existing: set[str]) -> set[tuple[str, int]]:
    """The (postcode, number) pairs a typing error in the address reaches, among the
    postcodes that exist."""
    keys = {(postcode, number + step) for step in NEIGHBOUR_STEPS if number + step > 0}
    keys |= {(variant, number) for variant in postcode_variants(postcode) & existing}
    return keys


def load_elsewhere(
    index: CandidateIndex, signals: Iterable[SignalFacts], *, on: dt.date | None = None
) -> Elsewhere:
    """Load, for `signals` (those that found nobody at their address), who used to live at
    their addresses, the adults born on their dates of birth and the adults at the
    addresses a typing error reaches. Up to six queries per batch, whatever its size."""
    on = on or index.on
    found = Elsewhere()
    own_addresses: set[int] = set()
    births: set[dt.date] = set()
    asked: set[tuple[str, int]] = set()
    for signal in signals:
        postcode = _compact_postcode(signal.postcode)
        number, _raw = _split_house_number(signal.house_number)
        site = index.site(postcode, number)
        if site is not None:
            own_addresses.update(a.address_id for a in site.addresses)
        born = usable_date_of_birth(signal.date_of_birth)
        if born is not None:
            births.add(born)
        asked.add((postcode, number))
    # 1. Who lived at the batch's addresses (the register's history).
    lived: set[int] = set()
    for chunk in _chunks(sorted(own_addresses)):
        for person_id, address_id in (
            Membership.objects.filter(household__address_id__in=chunk, end_date__lt=on)
            .order_by()
            .values_list("person_id", "household__address_id")
        ):
            found.lived_at.setdefault(address_id, set()).add(person_id)
            lived.add(person_id)
    # 2. The addresses a typing error reaches (that exist). The postcodes that exist are
    # read first (one short query): a hundred variants per signal in an IN list would
    # cost more to write than to answer.
    near_addresses: dict[int, tuple[str, int]] = {}
    existing = set(Address.objects.order_by().values_list("postcode", flat=True).distinct())
    near_wanted: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for postcode, number in asked:
        for key in _near_keys(postcode, number, existing):
            near_wanted.setdefault(key, set()).add((postcode, number))
    postcodes = sorted({postcode for postcode, _n in near_wanted})
    numbers = sorted({number for _p, number in near_wanted})
    for chunk in _chunks(postcodes):
        for address_id, postcode, number in (
            Address.objects.filter(postcode__in=chunk, house_number__in=numbers)
            .order_by()
            .values_list("id", "postcode", "house_number")
        ):
            if (postcode, number) in near_wanted:
                near_addresses[address_id] = (postcode, number)
    # 3. The current adults among those: by person, by date of birth, by address.
    wanted = [Q(person_id__in=c) for c in _chunks(sorted(lived))]
    wanted += [Q(person__date_of_birth__in=c) for c in _chunks(sorted(births))]
    wanted += [Q(household__address_id__in=c) for c in _chunks(sorted(near_addresses))]
    if not wanted:
        return found
    current = in_force(on, prefix="household__", end_inclusive=False) & in_force(on)
    adult = Q(person__date_of_birth__isnull=True) | Q(
        person__date_of_birth__lte=years_before(on, ADULT_AGE)
    )
    households: dict[int, list[Candidate]] = {}
    # One query per kind (not one with OR): each can then use its own index.
    rows = itertools.chain.from_iterable(
        Membership.objects.filter(where, current, adult)
        .order_by()
        .values_list(
            "person_id",
            "household_id",
            "household__address_id",
            "person__initials",
            "person__given_names",
            "person__surname_prefix",
            "person__surname",
            "person__birth_surname_prefix",
            "person__birth_surname",
            "person__date_of_birth",
            "household__address__postcode",
            "household__address__house_number",
            "household__address__house_letter",
            "household__address__addition",
            "household__address__neighbourhood_id",
        )
        for where in wanted
    )
    for (
        person_id,
        household_id,
        address_id,
        initials,
        given_names,
        prefix,
        surname,
        birth_prefix,
        birth_surname,
        date_of_birth,
        postcode,
        number,
        letter,
        addition,
        neighbourhood_id,
    ) in rows:
        if person_id in found.people:
            continue
        household = households.setdefault(household_id, [])
        candidate = Candidate(
            person_id,
            household_id,
            address_id,
            _suffix(letter + addition),
            initials,
            given_names,
            prefix,
            surname,
            birth_prefix,
            birth_surname,
            date_of_birth,
            household,
        )
        household.append(candidate)
        found.people[person_id] = candidate
        found.addresses[address_id] = FoundAddress(
            address_id, postcode, number, letter, addition, neighbourhood_id
        )
        if date_of_birth is not None:
            found.by_birth.setdefault(date_of_birth, []).append(candidate)
        if address_id in near_addresses:
            for signal_key in near_wanted.get(near_addresses[address_id], ()):
                found.near.setdefault(signal_key, []).append(candidate)
    return found


def candidates_elsewhere(
    found: Elsewhere, signal: SignalFacts, own_addresses: Sequence[int]
) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    """(lived at the signal's address, at a neighbouring or typo address, born the same
    day) for `signal`, each person once, in that order of strength."""
    seen: set[int] = set()
    lived: list[Candidate] = []
    for address_id in own_addresses:
        for person_id in sorted(found.lived_at.get(address_id, ())):
            candidate = found.people.get(person_id)
            if candidate is not None and person_id not in seen:
                seen.add(person_id)
                lived.append(candidate)
    postcode = _compact_postcode(signal.postcode)
    number, _raw = _split_house_number(signal.house_number)
    near = [c for c in found.near.get((postcode, number), ()) if c.person_id not in seen]
    seen.update(c.person_id for c in near)
    born = usable_date_of_birth(signal.date_of_birth)
    same_day = [c for c in found.by_birth.get(born, ()) if c.person_id not in seen] if born else []
    # Born the same day at the same number of a postcode one character off (any
    # character, not only a neighbouring key): a typing error in the address after all.
    typed = [c for c in same_day if _one_off(postcode, number, found.addresses[c.address_id])]
    if typed:
        near += typed
        same_day = [c for c in same_day if c not in typed]
    return lived, near, same_day


def _one_off(postcode: str, number: int, address: FoundAddress) -> bool:
    if address.house_number != number or len(address.postcode) != len(postcode):
        return False
    return sum(a != b for a, b in zip(address.postcode, postcode, strict=True)) == 1


# Deciding ---------------------------------------------------------------------------------

_LIVED, _NEAR, _BORN = "lived", "near", "born"
_KIND_REASON = {_LIVED: R_LIVED_HERE, _NEAR: R_NEAR_ADDRESS, _BORN: R_SAME_BIRTH_ELSEWHERE}
_KIND_POINTS = {_LIVED: 20, _NEAR: 0, _BORN: 0}


@dataclass(frozen=True, slots=True)
class ElsewhereMatch:
    """The person found away from the signal's address, and how sure that is."""

    candidate: Candidate
    found_at: FoundAddress
    automatic: bool
    confidence: int
    reasons: tuple[str, ...]
    alternatives: tuple[tuple[int, int], ...]


def decide_elsewhere(
    found: Elsewhere, name: _SignalName, signal: SignalFacts, own_addresses: Sequence[int]
) -> ElsewhereMatch | None:
    """The best fitting person found elsewhere for `signal`, or None (see the table in
    the module docstring)."""
    if name.company or not name.key:
        return None
    dob = usable_date_of_birth(signal.date_of_birth)
    lived, near, same_day = candidates_elsewhere(found, signal, own_addresses)
    options: list[tuple[int, bool, int, Candidate, list[str]]] = []
    for rank, (kind, group) in enumerate(((_LIVED, lived), (_NEAR, near), (_BORN, same_day))):
        for c in group:
            surname, why_surname = _surname_points(name, c)
            given, why_given = _name_points(name, c.keys)
            born, why_born = _dob_points(dob, c.date_of_birth)
            if given < 0 or born < 0 or surname < 35 or why_surname == R_HOUSEMATE_SURNAME:
                continue
            if kind == _LIVED:
                automatic = (born == 35 and (surname >= 45 or given > 0)) or (
                    surname == 50 and given >= 20
                )
            elif kind == _NEAR:
                if surname < 45 or given < 10:
                    continue
                automatic = born == 35
            else:
                if surname < 45 or given < 10 or born != 35:
                    continue
                automatic = False
            reasons = [_KIND_REASON[kind]]
            if kind != _NEAR:
                reasons.append(R_MOVED)
            reasons += [why for why in (why_surname, why_given, why_born) if why]
            points = surname + given + born + _KIND_POINTS[kind]
            options.append((rank, automatic, points, c, reasons))
    if not options:
        return None
    options.sort(key=lambda o: (o[0], -o[2], o[3].person_id))
    rank, automatic, points, best, reasons = options[0]
    if len(options) > 1:
        automatic = False
        reasons.append(R_AMBIGUOUS)
    return ElsewhereMatch(
        candidate=best,
        found_at=found.addresses[best.address_id],
        automatic=automatic,
        confidence=max(0, min(100, points)),
        reasons=tuple(reasons),
        alternatives=tuple((o[3].person_id, max(0, min(100, o[2]))) for o in options[1:4]),
    )
