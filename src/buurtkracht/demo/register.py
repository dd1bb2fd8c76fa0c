"""The register of Lindenhoven goes through the product's own BRP import (issue 16, item 5).

At the end of generation the town's residents (those with a BSN: a register extract knows
a person by it) are written as a register extract in the shape of docs/register.md and
imported with `households.register_import.register_import`, dated `BASELINE_DAYS_AGO`.
The extract is written from the generated households, so the baseline changes nothing:
no new persons, no moves; it only gives every resident the register's view. The
generated memberships that the register confirms are then the register's own
(`Membership.from_register`), as if the import had proposed them.

A later extract, dated `LATER_DAYS_AGO`, carries a handful of changes, chosen from the
seed: a whole household and two single residents move within the town, two babies are
born (the first in a household with a lead worker when one fits), one resident dies,
one changes name and one leaves the municipality. The composition pages of those
households show the history: ended memberships with their dates.

Deterministic per seed: one random stream of its own, and every choice made over lists
sorted by address and BSN, never by database id.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Max
from django.utils import timezone

from buurtkracht.core.models import Address
from buurtkracht.households.models import Household, Involvement, Membership, Person
from buurtkracht.households.register_import import RegisterImport, register_import

BASELINE_DAYS_AGO = 42
LATER_DAYS_AGO = 10
BIRTH_WORKER = "wijkwerker"
# New-build homes the later extract moves residents into (not among the generated ones).
NEW_HOMES = 2
_BABY_NAMES = ("Noor", "Sem", "Liv", "Adam", "Yara", "Mila", "Daan", "Sara")
_ROLE = Membership.Role


@dataclass(slots=True)
class _Member:
    person_id: int
    bsn: str
    role: str
    since: dt.date | None
    born: dt.date | None
    given_names: str
    prefix: str
    surname: str
    birth_surname: str


@dataclass(slots=True)
class _Home:
    household_id: int
    address_id: int
    bag_id: str
    key: tuple[str, int, str, str]
    members: list[_Member] = field(default_factory=list)  # every current member
    led: bool = False
    lead_worker: str = ""
    involved: bool = False


@dataclass
class RegisterStory:
    """What the demo's register did: the two imports and the households it changed."""

    baseline: RegisterImport
    later: RegisterImport
    changed_households: dict[str, int] = field(default_factory=dict)  # change -> household


def _homes() -> list[_Home]:
    homes: dict[int, _Home] = {}
    for pk, address_id, bag_id, postcode, number, letter, addition in (
        Household.objects.filter(end_date__isnull=True)
        .order_by()
        .values_list(
            "pk",
            "address_id",
            "address__bag_id",
            "address__postcode",
            "address__house_number",
            "address__house_letter",
            "address__addition",
        )
    ):
        homes[pk] = _Home(pk, address_id, bag_id or "", (postcode, number, letter, addition))
    rows = (
        Membership.objects.filter(household_id__in=list(homes), end_date__isnull=True)
        .order_by()
        .values_list(
            "household_id",
            "person_id",
            "person__bsn",
            "role",
            "start_date",
            "person__date_of_birth",
            "person__given_names",
            "person__surname_prefix",
            "person__surname",
            "person__birth_surname",
        )
    )
    for household_id, person_id, bsn, role, since, born, given, prefix, surname, birth in rows:
        homes[household_id].members.append(
            _Member(person_id, bsn or "", role, since, born, given, prefix, surname, birth)
        )
    for household_id, kind, worker in Involvement.objects.filter(
        household_id__in=list(homes), end_date__isnull=True
    ).values_list("household_id", "kind", "worker__username"):
        homes[household_id].involved = True
        if kind == Involvement.Kind.LEAD:
            homes[household_id].led = True
            homes[household_id].lead_worker = worker
    for home in homes.values():
        home.members.sort(key=lambda m: (m.role != _ROLE.HEAD, m.bsn, m.born or dt.date.min))
    return sorted((h for h in homes.values() if h.bag_id), key=lambda h: h.key)


def _date(day: dt.date | None) -> dict[str, str] | None:
    return {"datum": day.isoformat()} if day else None


def _relations(home: _Home, member: _Member) -> dict[str, list[dict[str, str]]]:
    """Partners, parents and children among the household's members, from the roles."""
    couple = [m for m in home.members if m.role in (_ROLE.HEAD, _ROLE.PARTNER) and m.bsn]
    children = [m for m in home.members if m.role == _ROLE.CHILD and m.bsn]
    head = [m for m in couple if m.role == _ROLE.HEAD]
    parents = [m for m in home.members if m.role == _ROLE.PARENT and m.bsn]
    found: dict[str, list[str]] = {"partners": [], "ouders": [], "kinderen": []}
    if member.role in (_ROLE.HEAD, _ROLE.PARTNER):
        found["partners"] = [m.bsn for m in couple if m is not member]
        found["kinderen"] = [m.bsn for m in children]
    if member.role == _ROLE.HEAD:
        found["ouders"] = [m.bsn for m in parents]
    if member.role == _ROLE.CHILD:
        found["ouders"] = [m.bsn for m in couple]
    if member.role == _ROLE.PARENT:
        found["kinderen"] = [m.bsn for m in head]
    return {k: [{"burgerservicenummer": b} for b in v] for k, v in found.items() if v}


def _line(home: _Home, member: _Member) -> dict[str, Any]:
    naam: dict[str, Any] = {
        "voornamen": member.given_names,
        "voorvoegsel": member.prefix,
        "geslachtsnaam": member.surname,
        "aanduidingNaamgebruik": {"code": "E"},
    }
    place: dict[str, Any] = {"nummeraanduidingIdentificatie": home.bag_id}
    if member.since:
        place["datumAanvangAdreshouding"] = _date(member.since)
    line: dict[str, Any] = {
        "burgerservicenummer": member.bsn,
        "naam": naam,
        "verblijfplaats": place,
        **_relations(home, member),
    }
    if member.born:
        line["geboorte"] = {"datum": _date(member.born)}
    return line


def _encode(lines: Iterable[dict[str, Any]]) -> list[bytes]:
    return [json.dumps(x, ensure_ascii=False, separators=(",", ":")).encode() for x in lines]


def _baseline(homes: Sequence[_Home]) -> dict[str, dict[str, Any]]:
    """Every resident with a BSN at their household's address, once (first by address)."""
    lines: dict[str, dict[str, Any]] = {}
    for home in homes:
        for member in home.members:
            if member.bsn and member.bsn not in lines:
                lines[member.bsn] = _line(home, member)
    return lines


def _new_bsn(rng: random.Random, taken: set[str]) -> str:
    while True:
        digits = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(7))]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        bsn = "".join(map(str, digits)) + str(check)
        if check < 10 and bsn not in taken:
            taken.add(bsn)
            return bsn


def _new_addresses(rng: random.Random, count: int) -> list[Address]:
    """New-build homes at the end of an existing street (the BAG would bring them)."""
    streets = sorted(
        Address.objects.filter(withdrawn_on__isnull=True)
        .values("street", "postcode", "neighbourhood_id", "town")
        .annotate(last=Max("house_number"))
        .values_list("street", "postcode", "neighbourhood_id", "town", "last")
    )
    street, postcode, neighbourhood_id, town, last = rng.choice(streets)
    top = max(int(b) for b in Address.objects.values_list("bag_id", flat=True) if b)
    return [
        Address.objects.create(
            street=street,
            house_number=last + 2 * (n + 1) + 100,
            postcode=postcode,
            town=town,
            neighbourhood_id=neighbourhood_id,
            bag_id=f"{top + n + 1:016d}",
        )
        for n in range(count)
    ]


def _age(member: _Member, day: dt.date) -> int:
    return (day - member.born).days // 365 if member.born else 0


def register_story_create(*, seed: int, keep: Household | None = None) -> RegisterStory:
    """Import the town's register, then a later extract with changes (module docstring).
    `keep` (story 1's household) is left as it is."""
    rng = random.Random(f"buurtkracht-demo:{seed}:register")
    today = timezone.localdate()
    homes = _homes()
    lines = _baseline(homes)
    baseline_on = today - dt.timedelta(days=BASELINE_DAYS_AGO)
    later_on = today - dt.timedelta(days=LATER_DAYS_AGO)
    baseline = register_import(_encode(lines.values()), on=baseline_on, source="demo")
    _check(baseline)
    # The register confirms the generated households: their memberships are its own.
    Membership.objects.filter(
        end_date__isnull=True, household__address_id=F("person__register_entry__address_id")
    ).update(from_register=True)

    keep_id = keep.pk if keep is not None else None
    free = [h for h in homes if not h.involved and h.household_id != keep_id]
    used: set[int] = set()
    changed: dict[str, int] = {}

    def take(name: str, candidates: Sequence[_Home], fits: Any) -> tuple[_Home, _Member] | None:
        options = [
            (h, m)
            for h in candidates
            if h.household_id not in used
            for m in h.members
            if m.bsn and fits(h, m)
        ]
        if not options:
            return None
        home, member = rng.choice(options)
        used.add(home.household_id)
        changed[name] = home.household_id
        return home, member

    later = {bsn: json.loads(json.dumps(line)) for bsn, line in lines.items()}
    taken = {str(b) for b in Person.objects.exclude(bsn="").values_list("bsn", flat=True) if b}
    parent_age = lambda h, m: (  # noqa: E731
        m.role in (_ROLE.HEAD, _ROLE.PARTNER) and 20 <= _age(m, today) <= 45
    )
    led = [h for h in homes if h.led and h.household_id != keep_id]
    # The first birth where the demo's worker sees it: a household `wijkwerker` leads.
    births = [
        take("birth", [h for h in led if h.lead_worker == BIRTH_WORKER], parent_age)
        or take("birth", led, parent_age)
        or take("birth", free, parent_age)
    ]
    births.append(take("birth_2", free, parent_age))
    for n, chosen in enumerate(b for b in births if b):
        home, parent = chosen
        born = today - dt.timedelta(days=25 - 13 * n)
        baby = _new_bsn(rng, taken)
        couple = [m for m in home.members if m.bsn and m.role in (_ROLE.HEAD, _ROLE.PARTNER)]
        for member in couple:
            later[member.bsn].setdefault("kinderen", []).append({"burgerservicenummer": baby})
        later[baby] = {
            "burgerservicenummer": baby,
            "naam": {
                "voornamen": rng.choice(_BABY_NAMES),
                "voorvoegsel": parent.prefix if not parent.birth_surname else "",
                "geslachtsnaam": parent.birth_surname or parent.surname,
            },
            "geboorte": {"datum": _date(born)},
            "verblijfplaats": {
                "nummeraanduidingIdentificatie": home.bag_id,
                "datumAanvangAdreshouding": _date(born),
            },
            "ouders": [{"burgerservicenummer": m.bsn} for m in couple],
        }

    # Moves within the town: a whole household to a new-build home, one member to
    # another, one member into a household living alone.
    whole = take(
        "move_household",
        free,
        lambda h, m: len(h.members) >= 2 and all(x.bsn for x in h.members),
    ) or take("move_household", free, lambda h, m: True)
    single = take("move_member", free, lambda h, m: m.role != _ROLE.HEAD and len(h.members) >= 2)
    joining = take("move_in_with", free, lambda h, m: m.role != _ROLE.HEAD and len(h.members) >= 2)
    host = take("moved_in", free, lambda h, m: len(h.members) == 1)
    new_homes = _new_addresses(rng, NEW_HOMES)

    def move(member: _Member, bag_id: str, days_ago: int) -> None:
        later[member.bsn]["verblijfplaats"] = {
            "nummeraanduidingIdentificatie": bag_id,
            "datumAanvangAdreshouding": _date(today - dt.timedelta(days=days_ago)),
        }

    if whole:
        for member in whole[0].members:
            if member.bsn:
                move(member, new_homes[0].bag_id or "", 21)
    if single:
        move(single[1], new_homes[1].bag_id or "", 17)
    if joining and host:
        move(joining[1], host[0].bag_id, 14)

    death = take("death", free, lambda h, m: len(h.members) >= 2 and _age(m, today) >= 70) or take(
        "death", free, lambda h, m: _age(m, today) >= 18
    )
    if death:
        later[death[1].bsn]["overlijden"] = {"datum": _date(today - dt.timedelta(days=19))}
    renamed = take("name", free, lambda h, m: not m.birth_surname and _age(m, today) >= 18)
    if renamed:
        others = sorted({m.surname for h in homes for m in h.members if m.surname})
        new_name = rng.choice([s for s in others if s != renamed[1].surname] or ["Linde"])
        later[renamed[1].bsn]["naam"]["geslachtsnaam"] = f"{renamed[1].surname}-{new_name}"
    departure = take("departure", free, lambda h, m: len(h.members) == 1)
    if departure:
        later[departure[1].bsn]["verblijfplaats"] = {
            "verblijfBuitenland": {"land": {"omschrijving": "België"}},
            "datumAanvangAdresBuitenland": _date(today - dt.timedelta(days=16)),
        }
    result = register_import(_encode(later.values()), on=later_on, source="demo")
    _check(result)
    return RegisterStory(baseline=baseline, later=result, changed_households=changed)


def _check(outcome: RegisterImport) -> None:
    """The demo writes its extracts itself: a line set aside is a bug here."""
    if outcome.errors:
        first = outcome.errors[0]
        raise RuntimeError(f"Demo register extract, line {first.line}: {first.message}")
