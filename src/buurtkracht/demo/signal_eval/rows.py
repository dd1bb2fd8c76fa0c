"""A row of the evaluation set: the signal with its truth, and as a partner's CSV has it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# A row being written: the fields of EvalSignal without the truth, plus "_extra" for the
# form a variation took.
Fields = dict[str, object]


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


def text_of(row: Fields, name: str) -> str:
    """A field of the row as text, empty for None."""
    return str(row[name] or "")


def eval_signal(
    row: Fields,
    person: int | None,
    address: int | None,
    variation: str,
    extras: tuple[str, ...] = (),
) -> EvalSignal:
    """The finished row with its truth: the person and address it is about, or None."""
    born = row["date_of_birth"]
    return EvalSignal(
        surname_prefix=text_of(row, "surname_prefix"),
        surname=text_of(row, "surname"),
        initials=text_of(row, "initials"),
        given_names=text_of(row, "given_names"),
        date_of_birth=born if isinstance(born, dt.date) else None,
        postcode=text_of(row, "postcode"),
        house_number=int(str(row["house_number"])),
        house_letter=text_of(row, "house_letter"),
        addition=text_of(row, "addition"),
        expected_person_id=person,
        expected_address_id=address,
        variation=variation,
        extras=extras,
    )


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
