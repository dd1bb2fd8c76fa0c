"""Rows about nobody in the register: a new tenant, an unregistered relative, an unknown
address, or a company named after a resident (the shares in NEGATIVE_WEIGHTS)."""

from __future__ import annotations

import datetime as dt
import random

from buurtkracht.demo import names
from buurtkracht.demo.signal_eval.positives import TRADES
from buurtkracht.demo.signal_eval.residents import Resident, family_key
from buurtkracht.demo.signal_eval.rows import EvalSignal, Fields, eval_signal, text_of

NEGATIVE_WEIGHTS: dict[str, float] = {
    "new_tenant": 40,
    "unregistered_relative": 15,
    "unknown_address": 30,
    "company": 15,
}


def _stranger(rng: random.Random, on: dt.date, avoid: set[str]) -> Fields:
    """A plausible adult who is not in the register, with a surname not in `avoid`."""
    while True:
        age = rng.randint(19, 85)
        origin = names.choose_origin(rng, age)
        sex = rng.choice("mf")
        born = on - dt.timedelta(days=round(age * 365.25) + rng.randrange(365))
        given = names.given_names(rng, origin, sex, born.year)
        family = names.surname_for_sex(rng.choice(origin.surnames), origin, sex)
        if family_key(family.prefix, family.name) not in avoid:
            return {
                "surname_prefix": family.prefix,
                "surname": family.name,
                "initials": names.initials_for(given),
                "given_names": " ".join(given),
                "date_of_birth": born if rng.random() < 0.7 else None,
            }


def negative_signal(
    rng: random.Random,
    kind: str,
    on: dt.date,
    sites: list[list[Resident]],
    numbers_by_postcode: dict[str, set[int]],
) -> EvalSignal:
    """A row of `kind` at one of the `sites` (the residents of one address), about nobody."""
    site = rng.choice(sites)
    resident = rng.choice(site)
    address = {
        "postcode": resident.postcode,
        "house_number": resident.house_number,
        "house_letter": resident.house_letter,
        "addition": resident.addition,
    }
    keys = {family_key(r.surname_prefix, r.surname) for r in site} | {
        family_key(r.birth_surname_prefix, r.birth_surname) for r in site if r.birth_surname
    }
    if kind == "new_tenant":
        row = {**_stranger(rng, on, keys), **address}
        return eval_signal(row, None, resident.address_id, kind)
    if kind == "unregistered_relative":
        # Somebody with the resident's surname, but another first initial and another
        # date of birth: a grown-up child or sibling who never registered here.
        own = names.initials_for(resident.given_names.split()) if resident.given_names else ""
        while True:
            stranger = _stranger(rng, on, set())
            if not own or text_of(stranger, "initials")[:1] != own[:1]:
                break
        row = {
            **stranger,
            "surname_prefix": resident.surname_prefix,
            "surname": resident.surname,
            **address,
        }
        if row["date_of_birth"] == resident.date_of_birth:
            row["date_of_birth"] = None
        return eval_signal(row, None, resident.address_id, kind)
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
        return eval_signal(row, None, None, kind)
    # A company at the address, named after the resident: not a person.
    name = f"{resident.surname_prefix} {resident.surname}".strip()
    company = rng.choice(
        (f"{name} Holding B.V.", f"{rng.choice(TRADES)} {name} B.V.", f"{name} BV")
    )
    row = {
        "surname_prefix": "",
        "surname": company,
        "initials": "",
        "given_names": "",
        "date_of_birth": None,
        **address,
    }
    return eval_signal(row, None, resident.address_id, kind)
