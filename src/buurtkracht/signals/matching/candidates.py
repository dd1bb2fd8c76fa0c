"""Finding candidates: the adults living at a signal's address, loaded from the register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from buurtkracht.core.models import Address
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Membership
from buurtkracht.signals.matching.names import (
    SignalFacts,
    _compact_postcode,
    _given_tokens,
    _initial_letters,
    _split_house_number,
    _suffix,
    _surname_tokens,
    phonetic_key,
)

if TYPE_CHECKING:
    from buurtkracht.signals.matching.elsewhere import Elsewhere

# Contract holders are adults: a minor cannot sign a rental, energy or insurance contract.
ADULT_AGE = 18
# Rows per `IN (...)` list: far below SQLite's and PostgreSQL's limits, and above the
# import's batch size, so that one batch costs exactly two queries.
_IN_CHUNK = 30_000


@dataclass(frozen=True, slots=True)
class PersonKeys:
    """A resident's name, folded for comparison."""

    initials: tuple[str, ...]
    given: tuple[str, ...]
    tokens: tuple[str, ...]
    key: str
    phonetic: str
    birth_tokens: tuple[str, ...]
    birth_key: str
    birth_phonetic: str


@dataclass(slots=True)
class Candidate:
    """An adult living at an address of the batch, as the register has them.

    The name keys are made when the candidate is first scored, not when it is loaded:
    the other addresses of a house number are scored only when nobody at the signal's
    own address fits.
    """

    person_id: int
    household_id: int
    address_id: int
    suffix: str
    initials: str
    given_names: str
    surname_prefix: str
    surname: str
    birth_surname_prefix: str
    birth_surname: str
    date_of_birth: dt.date | None
    # The adults of the candidate's household, the candidate included (shared list).
    household: list[Candidate] = field(default_factory=list, repr=False)
    _keys: PersonKeys | None = field(default=None, repr=False)

    @property
    def keys(self) -> PersonKeys:
        if self._keys is None:
            given = _given_tokens(self.given_names)
            tokens = _surname_tokens(f"{self.surname_prefix} {self.surname}")
            key = "".join(tokens)
            birth_tokens = (
                _surname_tokens(f"{self.birth_surname_prefix} {self.birth_surname}")
                if self.birth_surname
                else ()
            )
            birth_key = "".join(birth_tokens)
            self._keys = PersonKeys(
                initials=_initial_letters(self.initials) or tuple(name[0] for name in given),
                given=given,
                tokens=tokens,
                key=key,
                phonetic=phonetic_key(key),
                birth_tokens=birth_tokens,
                birth_key=birth_key,
                birth_phonetic=phonetic_key(birth_key) if birth_key else "",
            )
        return self._keys

    def housemate_keys(self) -> set[str]:
        """Surname keys of the other adults in the household (a partner's name)."""
        return {
            key
            for other in self.household
            if other is not self
            for key in (other.keys.key, other.keys.birth_key)
            if key
        }


@dataclass(slots=True)
class AddressEntry:
    address_id: int
    suffix: str
    neighbourhood_id: int | None
    household_ids: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Site:
    """Everything at one postcode and house number: 12, 12A, 12-1 … and their residents."""

    addresses: list[AddressEntry] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


class CandidateIndex:
    """Addresses and residents of a batch, keyed by (postcode, house number)."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.sites: dict[tuple[str, int], Site] = {}
        self.postcode_neighbourhood: dict[str, int | None] = {}
        # Who may be the person away from the addresses (movers, typos in the address):
        # loaded by `match_batch` for the signals that found nobody at their address.
        self.elsewhere: Elsewhere | None = None

    def site(self, postcode: str, house_number: int) -> Site | None:
        return self.sites.get((postcode, house_number))

    def __len__(self) -> int:
        return sum(len(site.candidates) for site in self.sites.values())


def _chunks(values: Sequence[object], size: int = _IN_CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def load_candidates(
    postcodes: Iterable[str],
    *,
    addresses: Iterable[tuple[str, int]] | None = None,
    on: dt.date | None = None,
) -> CandidateIndex:
    """Load the addresses and current adult residents of `postcodes` in two queries.

    With `addresses` ((postcode, house number) pairs), only residents at those numbers
    are loaded, which for a batch of signals is a few rows per signal instead of every
    resident of every postcode. Two queries per 30,000 postcodes (or addresses), so a
    batch of a few thousand signals always costs two; one if nobody lives there.
    Residents are current on `on` (default today): the household has not moved out and
    the membership has not ended.
    """
    wanted = None
    if addresses is not None:
        wanted = {(_compact_postcode(p), n): None for p, n in addresses}
    return _load(postcodes, wanted, on)


def load_candidates_for(
    signals: Iterable[SignalFacts], *, on: dt.date | None = None
) -> CandidateIndex:
    """`load_candidates` for a batch of signals, in two queries.

    Loads the adults at each signal's own address, and at every address of its house
    number only when the signal's letter or addition is no address there (flats 12-1 …
    12-8 for a signal that says 12): a block of flats then costs its rows only when
    they are needed.
    """
    wanted: dict[tuple[str, int], set[str] | None] = {}
    for signal in signals:
        number, raw_suffix = _split_house_number(signal.house_number)
        suffixes = wanted.setdefault((_compact_postcode(signal.postcode), number), set())
        assert suffixes is not None
        suffixes.add(_suffix(raw_suffix + signal.house_letter + signal.addition))
    return _load({postcode for postcode, _ in wanted}, wanted, on)


def _load(
    postcodes: Iterable[str],
    wanted: Mapping[tuple[str, int], set[str] | None] | None,
    on: dt.date | None,
) -> CandidateIndex:
    """Addresses of `postcodes` (those in `wanted` if given), then the adults living at
    them: at every address of a wanted number when its suffixes are None or not all
    exist, else only at the addresses with those suffixes."""
    on = on or timezone.localdate()
    index = CandidateIndex(on)
    wanted_postcodes = sorted({_compact_postcode(p) for p in postcodes})
    entries: dict[int, AddressEntry] = {}
    site_of_address: dict[int, Site] = {}
    for chunk in _chunks(wanted_postcodes):
        rows = (
            Address.objects.filter(postcode__in=chunk)
            .order_by()
            .values_list(
                "id", "postcode", "house_number", "house_letter", "addition", "neighbourhood_id"
            )
        )
        for address_id, postcode, number, letter, addition, neighbourhood_id in rows:
            index.postcode_neighbourhood.setdefault(postcode, neighbourhood_id)
            if wanted is not None and (postcode, number) not in wanted:
                continue
            entry = AddressEntry(address_id, _suffix(letter + addition), neighbourhood_id)
            entries[address_id] = entry
            site = index.sites.setdefault((postcode, number), Site())
            site.addresses.append(entry)
            site_of_address[address_id] = site
    if not entries:
        return index
    current = in_force(on, prefix="household__", end_inclusive=False) & in_force(on)
    fields = (
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
    )
    if wanted is None:
        filters: list[Q] = [
            Q(household__address__postcode__in=c) for c in _chunks(wanted_postcodes)
        ]
    else:
        address_ids: list[int] = []
        for key, site in index.sites.items():
            suffixes = wanted[key]
            if suffixes is None or not suffixes <= {a.suffix for a in site.addresses}:
                address_ids.extend(a.address_id for a in site.addresses)
            else:
                address_ids.extend(a.address_id for a in site.addresses if a.suffix in suffixes)
        filters = [Q(household__address_id__in=c) for c in _chunks(sorted(address_ids))]
    # Contract holders are adults: a minor cannot sign a rental, energy or insurance
    # contract, and children share their parents' surname and often their initials.
    adult = Q(person__date_of_birth__isnull=True) | Q(
        person__date_of_birth__lte=years_before(on, ADULT_AGE)
    )
    households: dict[int, list[Candidate]] = {}
    for where in filters:
        rows_of_people = (
            Membership.objects.filter(where, current, adult).order_by().values_list(*fields)
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
        ) in rows_of_people:
            entry = entries[address_id]
            entry.household_ids.add(household_id)
            household = households.setdefault(household_id, [])
            candidate = Candidate(
                person_id,
                household_id,
                address_id,
                entry.suffix,
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
            site_of_address[address_id].candidates.append(candidate)
    return index
