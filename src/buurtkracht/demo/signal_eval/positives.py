"""Rows about a resident, written as a partner would: one variation of the name, address or
date of birth (the table in the package's docstring), sometimes a second, and given names
or date of birth left out as in real partner files."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Callable

from buurtkracht.core.names import fold
from buurtkracht.demo.signal_eval.residents import PastAddress, Resident, base_row, family_key
from buurtkracht.demo.signal_eval.rows import EvalSignal, Fields, eval_signal, text_of
from buurtkracht.households.models import Membership
from buurtkracht.signals.matching.callnames import call_names_of

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
    # Harder ones (issue 17): what a register-only matcher misses.
    "call_name": 3,
    "first_name_typo": 2,
    "swapped_names": 1,
    "placeholder_date_of_birth": 1.5,
    "house_number_typo": 1.5,
    "postcode_typo": 1.5,
}
# Signals about somebody who moved within the town, written at the old address (the
# partner's file lags behind the register): about 3% of all signals.
MOVER_SHARE = 0.03
NO_GIVEN_NAMES_CHANCE = 0.35
# Real rows sometimes carry two quirks at once (a typo and only initials).
SECOND_VARIATION_CHANCE = 0.1
_NOT_SECOND = {"exact", "business", "swapped_names", "house_number_typo", "postcode_typo"}
NO_DATE_OF_BIRTH_CHANCE = 0.15
# What a one-person business or a company in a partner's file calls itself.
TRADES = (
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


def _plain(text: str) -> str:
    """Without diacritics, case kept: Çelik -> Celik, Yılmaz -> Yilmaz."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Variations ---------------------------------------------------------------------------------
# Each takes the row so far and returns the changed row, or None when it does not apply.


def _diacritics(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    changed = {
        name: _plain(text_of(row, name)) for name in ("surname_prefix", "surname", "given_names")
    }
    if all(changed[name] == row[name] for name in changed):
        return None
    return {**row, **changed}


def _ss_s(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    surname = text_of(row, "surname")
    if "ss" in surname:
        return {**row, "surname": surname.replace("ss", "s", 1)}
    match = re.search(r"(?<=[aeiouy])s(?=[aeiouy])", surname)
    if match is None:
        return None
    return {**row, "surname": surname[: match.start()] + "ss" + surname[match.end() :]}


def _prefix_form(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    prefix, surname = text_of(row, "surname_prefix"), text_of(row, "surname")
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
            name: text_of(row, name).upper()
            for name in ("surname_prefix", "surname", "initials", "given_names")
        },
    }


def _birth_surname(
    rng: random.Random, row: Fields, resident: Resident, **_: object
) -> Fields | None:
    if not resident.birth_surname:
        return None
    return {
        **row,
        "surname_prefix": resident.birth_surname_prefix,
        "surname": resident.birth_surname,
    }


def _partner_surname(
    rng: random.Random, row: Fields, resident: Resident, household: list[Resident], **_: object
) -> Fields | None:
    couple = {Membership.Role.HEAD, Membership.Role.PARTNER}
    if resident.birth_surname or resident.role not in couple:
        return None
    own = family_key(resident.surname_prefix, resident.surname)
    for other in household:
        if other.person_id == resident.person_id or other.role not in couple:
            continue
        if family_key(other.surname_prefix, other.surname) != own:
            return {**row, "surname_prefix": other.surname_prefix, "surname": other.surname}
    return None


def _initials_only(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    if not row["given_names"] or not row["initials"]:
        return None
    return {**row, "given_names": ""}


def _typo(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    surname = text_of(row, "surname")
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
    rng: random.Random, row: Fields, resident: Resident, **_: object
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


def _business(rng: random.Random, row: Fields, resident: Resident, **_: object) -> Fields | None:
    prefix, surname = text_of(row, "surname_prefix"), text_of(row, "surname")
    full = f"{prefix} {surname}".strip()
    initials = text_of(row, "initials")
    trade = rng.choice(TRADES)
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


def _call_name(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    given = text_of(row, "given_names").split()
    if not given:
        return None
    calls = call_names_of(fold(given[0]))
    if not calls:
        return None
    call = rng.choice(calls).capitalize()
    # The partner knows the person by the call name only: no official initials.
    return {**row, "given_names": call, "initials": f"{call[0]}.", "_extra": "call"}


def _first_name_typo(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    given = text_of(row, "given_names").split()
    if not given or len(given[0]) < 4:
        return None
    typed = _typo(rng, {"surname": given[0]})
    if typed is None:
        return None
    return {**row, "given_names": " ".join([text_of(typed, "surname"), *given[1:]])}


def _swapped_names(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    given = text_of(row, "given_names").split()
    if not given:
        return None
    full = f"{text_of(row, 'surname_prefix')} {text_of(row, 'surname')}".strip()
    return {**row, "given_names": full, "surname_prefix": "", "surname": given[0]}


def _placeholder_date_of_birth(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    return {**row, "date_of_birth": dt.date(1900, 1, 1)}


def _house_number_typo(
    rng: random.Random, row: Fields, resident: Resident, **_: object
) -> Fields | None:
    """A neighbouring number (29 or 33 for 31), or the letter typed as the next number's
    addition (30-a for 31A)."""
    number = resident.house_number
    letter = resident.house_letter
    if letter and rng.random() < 0.4 and number > 1:
        return {**row, "house_number": number - 1, "house_letter": "", "addition": letter.lower()}
    step = rng.choice((-2, -1, 1, 2))
    if number + step < 1:
        step = -step
    return {**row, "house_number": number + step, "_extra": f"{step:+d}"}


_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


def _postcode_typo(rng: random.Random, row: Fields, **_: object) -> Fields | None:
    """One character of the postcode wrong: mostly a key next to it on the keyboard,
    sometimes any other, sometimes two characters swapped."""
    postcode = text_of(row, "postcode")
    i = rng.randrange(6)
    draw = rng.random()
    if draw < 0.15 and postcode[i] != postcode[i ^ 1]:
        j = i ^ 1  # 12|34|AB: a neighbour within the pair
        chars = list(postcode)
        chars[i], chars[j] = chars[j], chars[i]
        return {**row, "postcode": "".join(chars), "_extra": "swap"}
    alphabet = _ROWS[0] if i < 4 else "".join(_ROWS[1:])
    if draw < 0.75:
        for row_keys in _ROWS:
            if postcode[i] in row_keys:
                at = row_keys.index(postcode[i])
                options = [k for k in row_keys[max(0, at - 1) : at + 2] if k != postcode[i]]
                break
        kind = "key"
    else:
        options = [k for k in alphabet if k != postcode[i]]
        kind = "any"
    options = [k for k in options if not (i == 0 and k == "0")]
    if not options:
        return None
    typed = postcode[:i] + rng.choice(options) + postcode[i + 1 :]
    return {**row, "postcode": typed, "_extra": kind}


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
    "call_name": _call_name,
    "first_name_typo": _first_name_typo,
    "swapped_names": _swapped_names,
    "placeholder_date_of_birth": _placeholder_date_of_birth,
    "house_number_typo": _house_number_typo,
    "postcode_typo": _postcode_typo,
}


def positive_signal(
    rng: random.Random, resident: Resident, household: list[Resident]
) -> EvalSignal:
    """A row about `resident` with one drawn variation (and perhaps more quirks)."""
    kinds = list(VARIATION_WEIGHTS)
    weights = [VARIATION_WEIGHTS[k] for k in kinds]
    base = base_row(resident)
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
        if (
            variation != "swapped_names"  # the given names field holds the surname there
            and row["given_names"]
            and row["initials"]
            and rng.random() < NO_GIVEN_NAMES_CHANCE
        ):
            row["given_names"] = ""
            extras.append("no_given_names")
        if row["date_of_birth"] is not None and rng.random() < NO_DATE_OF_BIRTH_CHANCE:
            row["date_of_birth"] = None
            extras.append("no_date_of_birth")
    return eval_signal(row, resident.person_id, resident.address_id, variation, tuple(extras))


def moved_signal(
    rng: random.Random, resident: Resident, household: list[Resident], left: list[PastAddress]
) -> EvalSignal:
    """A row about `resident` written at an address they left (one of `left`), with the
    usual quirks of the name and date of birth on top."""
    row = positive_signal(rng, resident, household)
    old = rng.choice(left)
    extras = (f"also_{row.variation}", *row.extras) if row.variation != "exact" else row.extras
    fields: Fields = {
        "surname_prefix": row.surname_prefix,
        "surname": row.surname,
        "initials": row.initials,
        "given_names": row.given_names,
        "date_of_birth": row.date_of_birth,
        "postcode": old.postcode,
        "house_number": old.house_number,
        "house_letter": old.house_letter,
        "addition": old.addition,
    }
    return eval_signal(fields, resident.person_id, resident.address_id, "moved", extras)
