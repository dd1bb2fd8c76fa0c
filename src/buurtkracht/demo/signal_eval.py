"""An evaluation set for signal matching, drawn from the synthetic municipality.

Every row is a signal as a partner would send it about a resident of Lindenhoven (from
`generate_municipality`), with the truth attached: which person it is about
(`expected_person_id`), or None for a signal about nobody in the register. The benchmark
(benchmarks/signal_matching_quality.py) and the tests match these rows with
signals.matching and count how many automatic matches are right (precision) and how many
true matches were found automatically or put on the review list (recall).

Positive rows take one resident each (adults; main residents and partners more often,
as they hold the contracts) and apply one **variation**, with these weights:

=====================  ======  ==================================================
variation              weight  what the partner wrote
=====================  ======  ==================================================
exact                      30  the name and address as in the register
diacritics                  6  Celik for Çelik, Hoevenaars for Hoëvenaars
ss_s                        3  Jansen for Janssen or the other way round
prefix_form                10  "Vries, de", "DE VRIES", "de Vries" in the surname
                               field, prefix left out, "v.d. Berg"
upper_case                  4  everything in capitals
birth_surname               4  the birth surname of someone using a partner's name
partner_surname             3  the partner's surname for someone who kept their own
initials_only              10  initials, no given names
typo                        8  one letter swapped, dropped or doubled in the surname
house_number_form           6  12-a, 12 a, 12a: letter and addition swapped or in
                               lower case (addresses with a letter or addition)
date_of_birth               8  date of birth missing, day and month swapped, or
                               (one in five) the day or year one off
business                    4  a one-person business: "Schildersbedrijf J. de Vries",
                               "J. de Vries h.o.d.n. Klusbedrijf De Vries", ...
=====================  ======  ==================================================

A variation that does not apply to a resident (diacritics for "Jansen") is drawn again
among those that do, so the rarer ones (ss_s, birth_surname) end up below their weight.
One row in ten gets a second variation on top (extra "also_typo", ...). And as in real
partner files, any positive row loses its given names with chance 0.35 (extra
"no_given_names") and its date of birth with chance 0.15 (extra "no_date_of_birth").

Negative rows (`negative_share`, default 10%): a new tenant not yet in the register at a
known address (40%), a relative with the resident's surname who is not registered there
(15%), an address not in the register (30%), and a B.V. at a resident's address carrying
the resident's surname (15%), which must not be matched to the resident.

The weights are estimates of how partner files are usually written, not counts from
real files. The set is also easier than real files in ways that matter: it has no call
names instead of official first names (Kees for Cornelis), no given name and surname
swapped between fields, no postcode typos, nobody who moved after the partner's file
was made, no transliterations further apart than one letter (Mohamed, Muhammad), and
the register itself is always right. Read its figures as an upper bound.

Deterministic per seed: one `random.Random(seed)`, never the global generator, and the
residents are sorted by address and name before drawing, not by database order.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from buurtkracht.demo import names
from buurtkracht.households.models import Membership

__all__ = [
    "NEGATIVE_WEIGHTS",
    "VARIATION_WEIGHTS",
    "EvalSignal",
    "as_partner_row",
    "build_evaluation_set",
]

VARIATION_WEIGHTS: dict[str, float] = {
    "exact": 30,
    "diacritics": 6,
    "ss_s": 3,
    "prefix_form": 10,
    "upper_case": 4,
    "birth_surname": 4,
    "partner_surname": 3,
    "initials_only": 10,
    "typo": 8,
    "house_number_form": 6,
    "date_of_birth": 8,
    "business": 4,
}
NEGATIVE_WEIGHTS: dict[str, float] = {
    "new_tenant": 40,
    "unregistered_relative": 15,
    "unknown_address": 30,
    "company": 15,
}
NO_GIVEN_NAMES_CHANCE = 0.35
# Real rows sometimes carry two quirks at once (a typo and only initials).
SECOND_VARIATION_CHANCE = 0.1
_NOT_SECOND = {"exact", "business"}
NO_DATE_OF_BIRTH_CHANCE = 0.15
# Who holds the contracts: main residents and partners far more often than a grown-up
# child living at home.
_ROLE_WEIGHTS: dict[str, float] = {
    Membership.Role.HEAD: 3.0,
    Membership.Role.PARTNER: 2.0,
    Membership.Role.HOUSEMATE: 2.0,
    Membership.Role.PARENT: 1.0,
    Membership.Role.OTHER_RELATIVE: 1.0,
    Membership.Role.CHILD: 0.3,
}
_TRADES = (
    "Schildersbedrijf",
    "Klusbedrijf",
    "Loodgietersbedrijf",
    "Hoveniersbedrijf",
    "Taxibedrijf",
    "Schoonmaakbedrijf",
    "Koeriersdienst",
    "Administratiekantoor",
    "Installatiebedrijf",
    "Bouwbedrijf",
    "Fotografie",
    "Nagelstudio",
)
_SPECIAL = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"})


@dataclass(frozen=True, slots=True)
class EvalSignal:
    """A signal with known truth; has the fields of signals.matching.SignalFacts."""

    surname_prefix: str
    surname: str
    initials: str
    given_names: str
    date_of_birth: dt.date | None
    postcode: str
    house_number: int
    house_letter: str
    addition: str
    expected_person_id: int | None
    expected_address_id: int | None
    variation: str
    extras: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Resident:
    person_id: int
    household_id: int
    address_id: int
    role: str
    initials: str
    given_names: str
    surname_prefix: str
    surname: str
    birth_surname_prefix: str
    birth_surname: str
    date_of_birth: dt.date | None
    postcode: str
    house_number: int
    house_letter: str
    addition: str


def _residents(on: dt.date) -> list[_Resident]:
    """Everybody living in the municipality on `on`, sorted by address and name."""
    current = (
        Q(household__end_date__isnull=True)
        & (Q(start_date__isnull=True) | Q(start_date__lte=on))
        & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    )
    rows = (
        Membership.objects.filter(current)
        .order_by()
        .values_list(
            "person_id",
            "household_id",
            "household__address_id",
            "role",
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
        )
    )
    residents = [_Resident(*row) for row in rows]
    residents.sort(
        key=lambda r: (
            r.postcode,
            r.house_number,
            r.house_letter,
            r.addition,
            r.surname,
            r.given_names,
            r.date_of_birth or dt.date.min,
            r.person_id,
        )
    )
    return residents


def _age(date_of_birth: dt.date | None, on: dt.date) -> int:
    if date_of_birth is None:
        return 40
    before = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before


def _plain(text: str) -> str:
    """Without diacritics, case kept: Çelik -> Celik, Yılmaz -> Yilmaz."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _key(prefix: str, surname: str) -> str:
    from buurtkracht.signals.matching import surname_key

    return surname_key(prefix, surname)


# Variations ---------------------------------------------------------------------------------
# Each takes the row so far and returns the changed row, or None when it does not apply.

Fields = dict[str, object]


def _text(row: Fields, name: str) -> str:
    return str(row[name] or "")


def _diacritics(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    changed = {
        name: _plain(_text(row, name)) for name in ("surname_prefix", "surname", "given_names")
    }
    if all(changed[name] == row[name] for name in changed):
        return None
    return {**row, **changed}


def _ss_s(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    surname = _text(row, "surname")
    if "ss" in surname:
        return {**row, "surname": surname.replace("ss", "s", 1)}
    match = re.search(r"(?<=[aeiouy])s(?=[aeiouy])", surname)
    if match is None:
        return None
    return {**row, "surname": surname[: match.start()] + "ss" + surname[match.end() :]}


def _prefix_form(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    prefix, surname = _text(row, "surname_prefix"), _text(row, "surname")
    if not prefix:
        return None
    forms: list[tuple[str, str, str]] = [
        ("comma", "", f"{surname}, {prefix}"),
        ("upper_in_surname", "", f"{prefix} {surname}".upper()),
        ("in_surname", "", f"{prefix} {surname}"),
        ("omitted", "", surname),
    ]
    if prefix in ("van der", "van den", "van de"):
        forms.append(("abbreviated", "v.d.", surname))
    form, new_prefix, new_surname = rng.choice(forms)
    return {**row, "surname_prefix": new_prefix, "surname": new_surname, "_extra": form}


def _upper_case(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    return {
        **row,
        **{
            name: _text(row, name).upper()
            for name in ("surname_prefix", "surname", "initials", "given_names")
        },
    }


def _birth_surname(
    rng: random.Random, row: Fields, resident: _Resident, **_: object
) -> Fields | None:
    if not resident.birth_surname:
        return None
    return {
        **row,
        "surname_prefix": resident.birth_surname_prefix,
        "surname": resident.birth_surname,
    }


def _partner_surname(
    rng: random.Random, row: Fields, resident: _Resident, household: list[_Resident], **_: object
) -> Fields | None:
    couple = {Membership.Role.HEAD, Membership.Role.PARTNER}
    if resident.birth_surname or resident.role not in couple:
        return None
    own = _key(resident.surname_prefix, resident.surname)
    for other in household:
        if other.person_id == resident.person_id or other.role not in couple:
            continue
        if _key(other.surname_prefix, other.surname) != own:
            return {**row, "surname_prefix": other.surname_prefix, "surname": other.surname}
    return None


def _initials_only(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    if not row["given_names"] or not row["initials"]:
        return None
    return {**row, "given_names": ""}


def _typo(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    surname = _text(row, "surname")
    letters = [i for i, ch in enumerate(surname) if ch.isalpha()]
    if len(letters) < 4:
        return None
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        spots = [
            i
            for i in letters[1:]
            if i + 1 < len(surname) and surname[i + 1].isalpha() and surname[i] != surname[i + 1]
        ]
        if not spots:
            return None
        i = rng.choice(spots)
        typed = surname[:i] + surname[i + 1] + surname[i] + surname[i + 2 :]
    elif kind == "drop":
        i = rng.choice(letters[1:])
        typed = surname[:i] + surname[i + 1 :]
    else:
        i = rng.choice(letters)
        typed = surname[: i + 1] + surname[i] + surname[i + 1 :]
    return {**row, "surname": typed, "_extra": kind}


def _house_number_form(
    rng: random.Random, row: Fields, resident: _Resident, **_: object
) -> Fields | None:
    letter, addition = resident.house_letter, resident.addition
    if not letter and not addition:
        return None
    suffix = letter + addition
    form = rng.choice(("dash", "space", "lower"))
    if form == "dash":  # "12-a": the parser takes what follows the dash as the addition
        return {**row, "house_letter": "", "addition": suffix.lower(), "_extra": form}
    if form == "space":  # "12 A": some parsers take a lone letter as the house letter
        if len(suffix) == 1:
            return {**row, "house_letter": suffix, "addition": "", "_extra": form}
        return {**row, "house_letter": "", "addition": f" {suffix}", "_extra": form}
    return {**row, "house_letter": letter.lower(), "addition": addition.lower(), "_extra": form}


def _date_of_birth(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    born = row["date_of_birth"]
    if not isinstance(born, dt.date):
        return None
    draw = rng.random()
    if draw < 0.4:
        if born.day > 12 or born.day == born.month:  # swapping gives no other date
            return {**row, "date_of_birth": None, "_extra": "missing"}
        return {
            **row,
            "date_of_birth": born.replace(month=born.day, day=born.month),
            "_extra": "swapped",
        }
    if draw < 0.6:
        # One digit typed wrong: the day (never past the month's end) or the year.
        if rng.random() < 0.5 and born.day <= 27:
            day = born.day + rng.choice((-1, 1)) if born.day > 1 else 2
            typed = born.replace(day=day)
        else:
            year = born.year + rng.choice((-1, 1))
            try:
                typed = born.replace(year=year)
            except ValueError:  # 29 February in a year without one
                typed = born.replace(year=year, day=28)
        return {**row, "date_of_birth": typed, "_extra": "typo"}
    return {**row, "date_of_birth": None, "_extra": "missing"}


def _business(rng: random.Random, row: Fields, resident: _Resident, **_: object) -> Fields | None:
    prefix, surname = _text(row, "surname_prefix"), _text(row, "surname")
    full = f"{prefix} {surname}".strip()
    initials = _text(row, "initials")
    trade = rng.choice(_TRADES)
    forms = [
        ("trade_first", f"{trade} {initials} {full}".replace("  ", " ")),
        ("hodn", f"{initials} {full} h.o.d.n. {trade} {surname}".strip()),
        ("kapsalon", f"Kapsalon {full}"),
        ("eenmanszaak", f"Eenmanszaak {full}"),
        ("vof", f"{trade} {full} V.O.F."),
    ]
    form, name = rng.choice(forms)
    return {
        **row,
        "surname_prefix": "",
        "surname": name,
        "initials": "",
        "given_names": "",
        "date_of_birth": None,
        "_extra": form,
    }


def _exact(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    return row


_VARIATIONS: dict[str, Callable[..., Fields | None]] = {
    "exact": _exact,
    "diacritics": _diacritics,
    "ss_s": _ss_s,
    "prefix_form": _prefix_form,
    "upper_case": _upper_case,
    "birth_surname": _birth_surname,
    "partner_surname": _partner_surname,
    "initials_only": _initials_only,
    "typo": _typo,
    "house_number_form": _house_number_form,
    "date_of_birth": _date_of_birth,
    "business": _business,
}


def _base_row(resident: _Resident) -> Fields:
    return {
        "surname_prefix": resident.surname_prefix,
        "surname": resident.surname,
        "initials": resident.initials,
        "given_names": resident.given_names,
        "date_of_birth": resident.date_of_birth,
        "postcode": resident.postcode,
        "house_number": resident.house_number,
        "house_letter": resident.house_letter,
        "addition": resident.addition,
    }


def _signal(
    row: Fields,
    person: int | None,
    address: int | None,
    variation: str,
    extras: tuple[str, ...] = (),
) -> EvalSignal:
    born = row["date_of_birth"]
    return EvalSignal(
        surname_prefix=_text(row, "surname_prefix"),
        surname=_text(row, "surname"),
        initials=_text(row, "initials"),
        given_names=_text(row, "given_names"),
        date_of_birth=born if isinstance(born, dt.date) else None,
        postcode=_text(row, "postcode"),
        house_number=int(str(row["house_number"])),
        house_letter=_text(row, "house_letter"),
        addition=_text(row, "addition"),
        expected_person_id=person,
        expected_address_id=address,
        variation=variation,
        extras=extras,
    )


def _positive(rng: random.Random, resident: _Resident, household: list[_Resident]) -> EvalSignal:
    kinds = list(VARIATION_WEIGHTS)
    weights = [VARIATION_WEIGHTS[k] for k in kinds]
    base = _base_row(resident)
    while True:
        variation = rng.choices(kinds, weights=weights)[0]
        row = _VARIATIONS[variation](rng, dict(base), resident=resident, household=household)
        if row is not None:
            break
        weights[kinds.index(variation)] = 0  # does not apply to this resident: draw again
    extras: list[str] = []
    if "_extra" in row:
        extras.append(str(row.pop("_extra")))
    if variation != "business" and rng.random() < SECOND_VARIATION_CHANCE:
        others = [k for k in kinds if k not in _NOT_SECOND and k != variation]
        second = rng.choice(others)
        changed = _VARIATIONS[second](rng, dict(row), resident=resident, household=household)
        if changed is not None:
            row = changed
            extras.append(f"also_{second}")
            if "_extra" in row:
                extras.append(str(row.pop("_extra")))
    if variation != "business":
        if row["given_names"] and row["initials"] and rng.random() < NO_GIVEN_NAMES_CHANCE:
            row["given_names"] = ""
            extras.append("no_given_names")
        if row["date_of_birth"] is not None and rng.random() < NO_DATE_OF_BIRTH_CHANCE:
            row["date_of_birth"] = None
            extras.append("no_date_of_birth")
    return _signal(row, resident.person_id, resident.address_id, variation, tuple(extras))


def _stranger(rng: random.Random, on: dt.date, avoid: set[str]) -> Fields:
    """A plausible adult who is not in the register, with a surname not in `avoid`."""
    while True:
        age = rng.randint(19, 85)
        origin = names.choose_origin(rng, age)
        sex = rng.choice("mf")
        born = on - dt.timedelta(days=round(age * 365.25) + rng.randrange(365))
        given = names.given_names(rng, origin, sex, born.year)
        family = names.surname_for_sex(rng.choice(origin.surnames), origin, sex)
        if _key(family.prefix, family.name) not in avoid:
            return {
                "surname_prefix": family.prefix,
                "surname": family.name,
                "initials": names.initials_for(given),
                "given_names": " ".join(given),
                "date_of_birth": born if rng.random() < 0.7 else None,
            }


def _negative(
    rng: random.Random,
    kind: str,
    on: dt.date,
    sites: list[list[_Resident]],
    numbers_by_postcode: dict[str, set[int]],
) -> EvalSignal:
    site = rng.choice(sites)
    resident = rng.choice(site)
    address = {
        "postcode": resident.postcode,
        "house_number": resident.house_number,
        "house_letter": resident.house_letter,
        "addition": resident.addition,
    }
    keys = {_key(r.surname_prefix, r.surname) for r in site} | {
        _key(r.birth_surname_prefix, r.birth_surname) for r in site if r.birth_surname
    }
    if kind == "new_tenant":
        row = {**_stranger(rng, on, keys), **address}
        return _signal(row, None, resident.address_id, kind)
    if kind == "unregistered_relative":
        # Somebody with the resident's surname, but another first initial and another
        # date of birth: a grown-up child or sibling who never registered here.
        own = names.initials_for(resident.given_names.split()) if resident.given_names else ""
        while True:
            stranger = _stranger(rng, on, set())
            if not own or _text(stranger, "initials")[:1] != own[:1]:
                break
        row = {
            **stranger,
            "surname_prefix": resident.surname_prefix,
            "surname": resident.surname,
            **address,
        }
        if row["date_of_birth"] == resident.date_of_birth:
            row["date_of_birth"] = None
        return _signal(row, None, resident.address_id, kind)
    if kind == "unknown_address":
        if rng.random() < 0.5:
            # A number that does not exist at a postcode that does (new building).
            taken = numbers_by_postcode[resident.postcode]
            number = max(taken) + rng.choice((2, 4, 6, 8))
            address = {"postcode": resident.postcode, "house_number": number}
        else:
            # A postcode outside the municipality's range (7401-…).
            pc4 = rng.randint(1000, 7399)
            letters = rng.choice(("AB", "CD", "EK", "GL", "HM", "TR"))
            address = {"postcode": f"{pc4}{letters}", "house_number": rng.randint(1, 200)}
        row = {**_stranger(rng, on, set()), **address, "house_letter": "", "addition": ""}
        return _signal(row, None, None, kind)
    # A company at the address, named after the resident: not a person.
    name = f"{resident.surname_prefix} {resident.surname}".strip()
    company = rng.choice(
        (f"{name} Holding B.V.", f"{rng.choice(_TRADES)} {name} B.V.", f"{name} BV")
    )
    row = {
        "surname_prefix": "",
        "surname": company,
        "initials": "",
        "given_names": "",
        "date_of_birth": None,
        **address,
    }
    return _signal(row, None, resident.address_id, kind)


def build_evaluation_set(
    *, seed: int, size: int, negative_share: float = 0.1, on: dt.date | None = None
) -> list[EvalSignal]:
    """`size` signals about the residents in the database, with known truth.

    Reads every current membership once: fine for the test and benchmark sizes (up to
    some 100,000 households), not meant for a full-size town.
    """
    on = on or timezone.localdate()
    rng = random.Random(seed)
    residents = _residents(on)
    if not residents:
        raise ValueError("The database holds no residents: generate a municipality first.")
    households: dict[int, list[_Resident]] = defaultdict(list)
    sites_by_key: dict[tuple[str, int], list[_Resident]] = defaultdict(list)
    numbers_by_postcode: dict[str, set[int]] = defaultdict(set)
    for resident in residents:
        households[resident.household_id].append(resident)
        sites_by_key[(resident.postcode, resident.house_number)].append(resident)
        numbers_by_postcode[resident.postcode].add(resident.house_number)
    sites = list(sites_by_key.values())
    adults = [r for r in residents if _age(r.date_of_birth, on) >= 18]
    negatives = round(size * negative_share)
    positives = size - negatives
    if positives > len(adults):
        raise ValueError(f"Only {len(adults)} adults live here; ask for fewer signals.")

    chosen: list[_Resident] = []
    seen: set[int] = set()
    weights = [_ROLE_WEIGHTS.get(r.role, 1.0) for r in adults]
    while len(chosen) < positives:
        for resident in rng.choices(adults, weights=weights, k=positives - len(chosen)):
            if resident.person_id not in seen:
                seen.add(resident.person_id)
                chosen.append(resident)
    rows = [_positive(rng, r, households[r.household_id]) for r in chosen]

    kinds = list(NEGATIVE_WEIGHTS)
    negative_weights = list(NEGATIVE_WEIGHTS.values())
    for _ in range(negatives):
        kind = rng.choices(kinds, weights=negative_weights)[0]
        rows.append(_negative(rng, kind, on, sites, numbers_by_postcode))
    rng.shuffle(rows)
    return rows


def as_partner_row(signal: EvalSignal) -> dict[str, str]:
    """One row as a partner's CSV export would have it (Dutch column names, text only)."""
    number = f"{signal.house_number}{signal.house_letter}"
    addition = signal.addition.strip()
    born = signal.date_of_birth
    return {
        "achternaam": signal.surname,
        "tussenvoegsel": signal.surname_prefix,
        "voorletters": signal.initials,
        "voornamen": signal.given_names,
        "geboortedatum": born.strftime("%d-%m-%Y") if born else "",
        "postcode": f"{signal.postcode[:4]} {signal.postcode[4:]}",
        "huisnummer": f"{number}-{addition}" if addition else number,
    }
