"""Reading a register extract (BRP): JSON Lines, one person a line, in the field names of
the Haal Centraal *BRP bevragen* API (docs/register.md).

`register_extract_read` turns the lines into checked `RegisterPerson`s and per-line
errors; it touches no database. Only the fields the product uses are kept (data
minimisation): everything else in a line is read past and never stored.
`households.register_import.register_import` writes the persons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from buurtkracht.core import validators
from buurtkracht.core.bag import RowError

Door = tuple[str, int, str, str]  # postcode, house number, letter, addition

# aanduidingNaamgebruik: own name, partner's, partner's before own, own before partner's.
NAME_USES = ("E", "P", "V", "N")


@dataclass(frozen=True, slots=True)
class RegisterPerson:
    """One person as the register gives them, reduced to what the product uses."""

    line: int
    line_print: int
    bsn: str
    initials: str
    given_names: str
    surname_prefix: str
    surname: str
    birth_surname_prefix: str
    birth_surname: str
    date_of_birth: dt.date | None
    date_of_death: dt.date | None
    bag_id: str  # nummeraanduidingIdentificatie, or "" (then the door decides)
    door: Door | None  # None: no address in the municipality (departed)
    living_since: dt.date | None
    departed_on: dt.date | None
    partners: tuple[str, ...]
    parents: tuple[str, ...]
    children: tuple[str, ...]

    @property
    def identity_print(self) -> int:
        """A fingerprint of the names and birth date as the register gives them."""
        return _print(
            "\x1f".join(
                (
                    self.initials,
                    self.given_names,
                    self.surname_prefix,
                    self.surname,
                    self.birth_surname_prefix,
                    self.birth_surname,
                    str(self.date_of_birth or ""),
                )
            ).encode()
        )

    def relatives(self) -> frozenset[str]:
        return frozenset((*self.partners, *self.parents, *self.children))


def _print(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def line_print(line: bytes) -> int:
    """The fingerprint of one extract line (surrounding white space aside)."""
    return _print(line.strip())


class _Problem(Exception):
    """One thing wrong with a line; the message says what and how to fix it."""


def _object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Problem(
            _("%(field)s must be an object ({…}), as in BRP bevragen.") % {"field": where}
        )
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # a table value such as {"code": "E", "omschrijving": …}
        value = value.get("code", "")
    return " ".join(str(value).split())


def _date(value: Any, field: str) -> dt.date | None:
    """`"2001-05-31"` or `{"datum": "2001-05-31"}`. A date the register knows only in part
    (`{"jaar": 1950}`, BRP "00-00-1950") is unknown here: None."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        if value.get("datum") in (None, "") and ("jaar" in value or "type" in value):
            return None
        value = value.get("datum")
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _Problem(
            _("%(field)s “%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2001-05-31.")
            % {"field": field, "value": value}
        ) from None


def _bsns(value: Any, field: str) -> tuple[str, ...]:
    """The BSNs of related persons; a relative without a BSN (unknown parent) is skipped."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Problem(_("%(field)s must be a list ([…]).") % {"field": field})
    found = []
    for item in value:
        if isinstance(item, dict) and item.get("ontbindingHuwelijkPartnerschap"):
            continue  # a former partner is no relation in the household
        raw = _text(item.get("burgerservicenummer")) if isinstance(item, dict) else ""
        if raw.isdigit() and len(raw) in (8, 9):
            found.append(raw.zfill(9))
    return tuple(found)


def _eleven_test(value: str) -> bool:
    """A well-formed nine-digit BSN (the quick path; `normalise_bsn` explains a wrong one)."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(value, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


class _Reader:
    def __init__(self, municipality_codes: frozenset[str]) -> None:
        self.codes = municipality_codes
        self.postcodes: dict[str, str | ValidationError] = {}
        self.names: dict[str, str | None] = {}  # name -> problem (None: fine)

    def _name(self, value: str, field: str) -> str:
        if value not in self.names:
            try:
                validators.validate_name(value)
                self.names[value] = None
            except ValidationError as exc:
                self.names[value] = exc.messages[0]
        problem = self.names[value]
        if problem is not None:
            raise _Problem(f"{field}: {problem}")
        return value

    def _prefix(self, value: str, field: str) -> str:
        value = value.lower()
        try:
            validators.validate_surname_prefix(value)
        except ValidationError as exc:
            raise _Problem(f"{field}: {exc.messages[0]}") from None
        return value

    def _postcode(self, raw: str) -> str:
        if raw not in self.postcodes:
            try:
                self.postcodes[raw] = validators.normalise_postcode(raw)
            except ValidationError as exc:
                self.postcodes[raw] = exc
        found = self.postcodes[raw]
        if isinstance(found, ValidationError):
            raise _Problem(f"verblijfplaats.postcode: {found.messages[0]}")
        return found

    def person(self, number: int, raw: bytes, fingerprint: int) -> RegisterPerson:
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _Problem(
                _(
                    "the line is not valid JSON (%(error)s). Each line holds one person as "
                    "one JSON object, {…}, without line breaks inside."
                )
                % {"error": exc}
            ) from None
        if not isinstance(record, dict):
            record = _object(record, _("the line"))
        bsn = _text(record.get("burgerservicenummer"))
        if not _eleven_test(bsn):
            try:
                bsn = validators.normalise_bsn(bsn)
            except ValidationError as exc:
                raise _Problem(f"burgerservicenummer: {exc.messages[0]}") from None
        naam = _object(record.get("naam"), "naam")
        own_surname = self._name(_text(naam.get("geslachtsnaam")), "naam.geslachtsnaam")
        own_prefix = self._prefix(_text(naam.get("voorvoegsel")), "naam.voorvoegsel")
        given = _text(naam.get("voornamen"))
        if given:
            self._name(given, "naam.voornamen")
        initials = _text(naam.get("voorletters")).replace(" ", "")
        if not initials and given:
            initials = ".".join(part[0].upper() for part in given.split()) + "."
        use = _text(naam.get("aanduidingNaamgebruik")).upper() or "E"
        if use not in NAME_USES:
            raise _Problem(
                _(
                    "naam.aanduidingNaamgebruik “%(value)s” is not known: use E (own name), P "
                    "(partner's), V (partner's before own) or N (own before partner's)."
                )
                % {"value": use}
            )
        partners = record.get("partners")
        prefix, surname, birth_prefix, birth_surname = self._name_in_use(
            use, own_prefix, own_surname, partners
        )
        geboorte = _object(record.get("geboorte"), "geboorte")
        born = _date(geboorte.get("datum"), "geboorte.datum")
        died = _date(
            _object(record.get("overlijden"), "overlijden").get("datum"), "overlijden.datum"
        )
        place = _object(record.get("verblijfplaats"), "verblijfplaats")
        bag_id, door, since, departed = self._place(record, place)
        return RegisterPerson(
            line=number,
            line_print=fingerprint,
            bsn=bsn,
            initials=initials,
            given_names=given,
            surname_prefix=prefix,
            surname=surname,
            birth_surname_prefix=birth_prefix,
            birth_surname=birth_surname,
            date_of_birth=born,
            date_of_death=died,
            bag_id=bag_id,
            door=door,
            living_since=since,
            departed_on=departed,
            partners=_bsns(partners, "partners"),
            parents=_bsns(record.get("ouders"), "ouders"),
            children=_bsns(record.get("kinderen"), "kinderen"),
        )

    def _name_in_use(
        self, use: str, own_prefix: str, own_surname: str, partners: Any
    ) -> tuple[str, str, str, str]:
        """(prefix, surname, birth prefix, birth surname) as the person is called."""
        partner = {}
        if isinstance(partners, list):
            current = [
                p
                for p in partners
                if isinstance(p, dict) and not p.get("ontbindingHuwelijkPartnerschap")
            ]
            partner = _object(current[0].get("naam"), "partners.naam") if current else {}
        theirs = _text(partner.get("geslachtsnaam"))
        if use == "E" or not theirs:
            return own_prefix, own_surname, "", ""
        self._name(theirs, "partners.naam.geslachtsnaam")
        their_prefix = self._prefix(_text(partner.get("voorvoegsel")), "partners.naam.voorvoegsel")
        own = " ".join(p for p in (own_prefix, own_surname) if p)
        if use == "P":
            return their_prefix, theirs, own_prefix, own_surname
        if use == "V":
            return their_prefix, f"{theirs}-{own}", own_prefix, own_surname
        full_theirs = " ".join(p for p in (their_prefix, theirs) if p)
        return own_prefix, f"{own_surname}-{full_theirs}", own_prefix, own_surname

    def _place(
        self, record: dict[str, Any], place: dict[str, Any]
    ) -> tuple[str, Door | None, dt.date | None, dt.date | None]:
        """(BAG id, door, living since, departed on) from `verblijfplaats`."""
        if place.get("verblijfBuitenland") is not None:
            left = _date(
                place.get("datumAanvangAdresBuitenland") or place.get("datumVan"),
                "verblijfplaats.datumAanvangAdresBuitenland",
            )
            return "", None, None, left or _missing_departure()
        municipality = _object(
            place.get("gemeenteVanInschrijving") or record.get("gemeenteVanInschrijving"),
            "gemeenteVanInschrijving",
        )
        code = _text(municipality.get("code")).zfill(4) if municipality else ""
        if code and self.codes and code not in self.codes:
            left = _date(
                place.get("datumInschrijvingInGemeente")
                or record.get("datumInschrijvingInGemeente"),
                "verblijfplaats.datumInschrijvingInGemeente",
            )
            return "", None, None, left or _missing_departure()
        since = _date(
            place.get("datumAanvangAdreshouding"), "verblijfplaats.datumAanvangAdreshouding"
        )
        bag_id = _text(place.get("nummeraanduidingIdentificatie"))
        if bag_id and not (bag_id.isdigit() and len(bag_id) == 16):
            raise _Problem(
                _(
                    "verblijfplaats.nummeraanduidingIdentificatie “%(value)s” is not a BAG "
                    "identification: 16 digits, e.g. 0363200000123456."
                )
                % {"value": bag_id}
            )
        raw_postcode = _text(place.get("postcode"))
        raw_number = _text(place.get("huisnummer"))
        if not raw_postcode and not raw_number and bag_id:
            return bag_id, None, since, None
        if not raw_postcode or not raw_number:
            raise _Problem(
                _(
                    "verblijfplaats has no address: give nummeraanduidingIdentificatie, or "
                    "postcode and huisnummer (or verblijfBuitenland for someone who emigrated)."
                )
            )
        if not (raw_number.isdigit() and 1 <= int(raw_number) <= 99999):
            raise _Problem(
                _("verblijfplaats.huisnummer “%(value)s” must be a whole number from 1 to 99999.")
                % {"value": raw_number}
            )
        letter = _text(place.get("huisletter")).upper()
        addition = _text(place.get("huisnummertoevoeging")).upper()
        try:
            validators.validate_house_letter(letter)
            validators.validate_house_number_addition(addition)
        except ValidationError as exc:
            raise _Problem(f"verblijfplaats: {exc.messages[0]}") from None
        return (
            bag_id,
            (self._postcode(raw_postcode), int(raw_number), letter, addition),
            since,
            None,
        )


def _missing_departure() -> dt.date:
    raise _Problem(
        _(
            "the person left the municipality but the date is missing: give "
            "verblijfplaats.datumAanvangAdresBuitenland (emigration) or "
            "datumInschrijvingInGemeente (another municipality)."
        )
    )


@dataclass
class ExtractRead:
    persons: list[RegisterPerson]
    errors: list[RowError]
    unchanged: int  # lines skipped because they are exactly as last imported
    lines: int


def register_extract_read(
    lines: Iterable[bytes],
    *,
    municipality_codes: Iterable[str] = (),
    known_prints: set[int] | frozenset[int] = frozenset(),
) -> ExtractRead:
    """The persons of an extract and the errors of the other lines, each with its number.

    `municipality_codes` are the four-digit CBS codes of the municipality: a person
    registered in another one has left. A line whose fingerprint is in `known_prints`
    (exactly as imported before) is counted as unchanged without being read."""
    reader = _Reader(frozenset(c.removeprefix("GM").zfill(4) for c in municipality_codes))
    persons: list[RegisterPerson] = []
    errors: list[RowError] = []
    unchanged = 0
    seen: dict[str, int] = {}
    number = 0
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        fingerprint = line_print(raw)
        if fingerprint in known_prints:
            unchanged += 1
            continue
        try:
            person = reader.person(number, raw, fingerprint)
        except _Problem as problem:
            errors.append(RowError(number, str(problem)))
            continue
        if (first := seen.get(person.bsn)) is not None:
            errors.append(
                RowError(
                    number,
                    _(
                        "burgerservicenummer %(bsn)s is on line %(line)s too: a person is on "
                        "one line of the extract. Keep one of the two."
                    )
                    % {"bsn": person.bsn, "line": first},
                )
            )
            continue
        seen[person.bsn] = number
        persons.append(person)
    return ExtractRead(persons=persons, errors=errors, unchanged=unchanged, lines=number)
