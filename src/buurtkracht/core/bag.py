"""Reading a file of BAG addresses (nummeraanduidingen) in the shape of docs/register.md.

`address_file_read` turns the bytes of a CSV into checked rows and per-row errors; it
touches no database. `households.bag_import.addresses_import` writes the rows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from buurtkracht.core import validators

COLUMNS = (
    "nummeraanduiding_id",
    "postcode",
    "huisnummer",
    "huisletter",
    "huisnummertoevoeging",
    "openbare_ruimte",
    "woonplaats",
    "buurtcode",
    "status",
)
REQUIRED = ("nummeraanduiding_id", "postcode", "huisnummer", "openbare_ruimte", "woonplaats")
STATUS_ISSUED = "naamgeving uitgegeven"
STATUS_WITHDRAWN = "naamgeving ingetrokken"
_BAG_ID = re.compile(r"\d{16}")


class AddressFileError(Exception):
    """The file as a whole cannot be read (no header, a missing column, not text)."""


@dataclass(frozen=True)
class AddressRow:
    line: int
    bag_id: str
    postcode: str
    house_number: int
    house_letter: str
    addition: str
    street: str
    town: str
    neighbourhood_code: str
    withdrawn: bool

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.postcode, self.house_number, self.house_letter, self.addition)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What Excel writes as "CSV (puntkomma)" on a Dutch Windows machine.
        return data.decode("cp1252", errors="replace")


def _header(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def address_file_read(data: bytes) -> tuple[list[AddressRow], list[RowError]]:
    """The valid rows and the errors of the others, each with its line number."""
    text = _text(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_header(first_line))
    header = next(reader, None)
    if header is None:
        raise AddressFileError(_("The file is empty. Export the addresses with a header row."))
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise AddressFileError(
            _(
                "The column(s) %(missing)s are missing from the header row. The first row "
                "must name the columns: %(columns)s (see docs/register.md)."
            )
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    index = {name: names.index(name) for name in COLUMNS if name in names}
    rows: list[AddressRow] = []
    errors: list[RowError] = []
    postcodes: dict[str, str | ValidationError] = {}  # a street has many doors: check once
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        cells = {name: (values[i].strip() if i < len(values) else "") for name, i in index.items()}
        row, problems = _row(line, cells, postcodes)
        if row is not None:
            rows.append(row)
        errors.extend(RowError(line, p) for p in problems)
    return rows, errors


def _postcode(raw: str, known: dict[str, str | ValidationError]) -> str:
    if raw not in known:
        try:
            known[raw] = validators.normalise_postcode(raw)
        except ValidationError as exc:
            known[raw] = exc
    found = known[raw]
    if isinstance(found, ValidationError):
        raise found
    return found


def _row(
    line: int, cells: dict[str, str], postcodes: dict[str, str | ValidationError]
) -> tuple[AddressRow | None, list[str]]:
    problems: list[str] = []
    bag_id = cells["nummeraanduiding_id"]
    if not _BAG_ID.fullmatch(bag_id):
        problems.append(
            _(
                "nummeraanduiding_id “%(value)s” is not a BAG identification: it must be 16 "
                "digits, for example 0363200000123456 (keep leading zeros: format the column "
                "as text)."
            )
            % {"value": bag_id}
        )
    postcode = ""
    try:
        postcode = _postcode(cells["postcode"], postcodes)
    except ValidationError as exc:
        problems.extend(exc.messages)
    house_number = 0
    raw_number = cells["huisnummer"]
    if raw_number.isdigit() and 1 <= int(raw_number) <= 99999:
        house_number = int(raw_number)
    else:
        problems.append(
            _("huisnummer “%(value)s” must be a whole number from 1 to 99999.")
            % {"value": raw_number}
        )
    letter = cells.get("huisletter", "").upper()
    addition = cells.get("huisnummertoevoeging", "").upper()
    for value, check in (
        (letter, validators.validate_house_letter),
        (addition, validators.validate_house_number_addition),
    ):
        try:
            check(value)
        except ValidationError as exc:
            problems.extend(exc.messages)
    street, town = cells["openbare_ruimte"], cells["woonplaats"]
    for column, value, limit in (("openbare_ruimte", street, 100), ("woonplaats", town, 80)):
        if not value:
            problems.append(_("%(column)s is empty: fill in the name.") % {"column": column})
        elif len(value) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)s characters: shorten it.")
                % {"column": column, "limit": limit}
            )
    code = cells.get("buurtcode", "").upper()
    if code:
        try:
            validators.validate_cbs_code(code, "BU")
        except ValidationError as exc:
            problems.extend(exc.messages)
    status = " ".join(cells.get("status", "").lower().split())
    if status not in ("", STATUS_ISSUED, STATUS_WITHDRAWN):
        problems.append(
            _(
                "status “%(value)s” is not known: use “Naamgeving uitgegeven” or "
                "“Naamgeving ingetrokken” (or leave it empty for a current address)."
            )
            % {"value": cells.get("status", "")}
        )
    if problems:
        return None, problems
    return AddressRow(
        line=line,
        bag_id=bag_id,
        postcode=postcode,
        house_number=house_number,
        house_letter=letter,
        addition=addition,
        street=street,
        town=town,
        neighbourhood_code=code,
        withdrawn=status == STATUS_WITHDRAWN,
    ), []
