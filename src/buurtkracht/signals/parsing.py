"""Read the files in which partners deliver signals of payment arrears (vroegsignalering).

Housing corporations, energy suppliers, water companies and health insurers send a CSV
or Excel file each month. This module turns each row into a cleaned record, or into
messages that say what is wrong, so a person can correct the row and send it again.
It holds no models and makes no queries: the services in `signals` call it and store.

Interface
---------
``read_signal_file(data, filename, *, today, default_partner_kind="", max_bytes=MAX_BYTES,
max_rows=MAX_ROWS, progress=None) -> ParsedFile``
    CSV (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252; `;`, `,` or tab,
    chosen by which one makes the column names recognisable; Excel's "sep=;" first line
    is obeyed) or XLSX (the first sheet with a header row; a .csv that is really an XLSX
    is read as one). The header is the row naming the most fields among the first
    `HEADER_SEARCH_ROWS` non-empty rows, so a title above it does no harm. Empty rows and
    repeats of the header row are skipped. `default_partner_kind` fills an empty partner
    kind (one of `PARTNER_KINDS`, or ""). Problems with the whole file raise
    `SignalFileError`. `progress(rows_done, rows_total_or_estimate)` is called every
    `PROGRESS_EVERY` rows and once at the end with (done, done).
``clean_row(raw, *, today, default_partner_kind="") -> (CleanSignal | None, [RowError])``
    One row keyed by canonical field name, for rows corrected in a web form and rows from
    the API. Values may be text or, as from Excel or JSON, dates and numbers;
    `ParsedRow.raw` fed back in gives the same result as the file did.
``SignalFileError.message``, ``RowError(field, message)``: translated, for people.

A reference that occurs twice in one file (for the same partner kind) is an error on the
second row, naming the line of the first. The value formats are in `columns.py`
(`parse_date`, `parse_amount`, `split_house_number`), as are `CANONICAL_FIELDS`,
`REQUIRED_FIELDS`, `HEADER_SPELLINGS` and `PARTNER_KINDS`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import PurePath
from typing import cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from buurtkracht.core import validators
from buurtkracht.signals.columns import (
    CANONICAL_FIELDS,
    HEADER_LOOKUP,
    HEADER_SPELLINGS,
    PARTNER_KIND_LOOKUP,
    PARTNER_KINDS,
    REQUIRED_FIELDS,
    STRIP,
    HeaderMatch,
    cell_text,
    format_date,
    header_key,
    match_headers,
    parse_amount,
    parse_date,
    split_house_number,
)

__all__ = [
    "CANONICAL_FIELDS",
    "HEADER_SPELLINGS",
    "PARTNER_KINDS",
    "REQUIRED_FIELDS",
    "CleanSignal",
    "ParsedFile",
    "ParsedRow",
    "RowError",
    "SignalFileError",
    "clean_row",
    "read_signal_file",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 1_000
CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv", ""})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
_DELIMITERS = (";", ",", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every password-protected .xlsx
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class SignalFileError(Exception):
    """The whole file cannot be read; `message` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class CleanSignal:
    partner_reference: str
    partner_kind: str  # one of PARTNER_KINDS, or "" when neither the row nor the upload says
    signal_date: dt.date
    initials: str  # J.H.
    given_names: str
    surname_prefix: str  # lowercase: van der
    surname: str
    date_of_birth: dt.date | None
    street: str
    house_number: int
    house_letter: str  # one capital letter, or ""
    addition: str  # up to 4 capitals or digits, or ""
    postcode: str  # compact: 1234AB
    town: str
    amount: Decimal | None  # euros, two decimals
    missed_terms: int | None
    end_of_supply_date: dt.date | None


@dataclass(frozen=True, slots=True)
class RowError:
    field: str  # a canonical field name
    message: str


@dataclass(slots=True)
class ParsedRow:
    line: int  # line of the CSV file, or row of the sheet, as the partner's program shows it
    raw: dict[str, str]  # every canonical field as text, to show again for correction
    signal: CleanSignal | None  # None when there are errors
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ParsedFile:
    rows: list[ParsedRow]
    columns: dict[str, str]  # canonical field -> column name as written in the file
    ignored_columns: list[str]  # column names in the file that were not used
    encoding: str  # "" for XLSX
    delimiter: str | None  # None for XLSX
    header_line: int = 1
    sheet: str | None = None  # XLSX only

    @property
    def signals(self) -> list[CleanSignal]:
        return [row.signal for row in self.rows if row.signal is not None]

    @property
    def rows_with_errors(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.errors]


Progress = Callable[[int, int], None]
Row = tuple[int, Sequence[object]]
Fail = Callable[[str, str], None]
Memo = dict[str, dict[str, str | RowError]]  # field -> value as written -> outcome


def _new_memo() -> Memo:
    names = ("initials", "given_names", "surname_prefix", "surname", "postcode", "house_letter")
    return {name: {} for name in (*names, "addition")}


def read_signal_file(
    data: bytes,
    filename: str,
    *,
    today: dt.date,
    default_partner_kind: str = "",
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> ParsedFile:
    """Read a partner's signal file; see the module docstring."""
    _check_partner_kind(default_partner_kind)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise SignalFileError(_empty_message())
    if len(data) > max_bytes:
        raise SignalFileError(
            _(
                "The file is %(size)s MB. The limit is %(limit)s MB. Split the file into "
                "smaller files and upload them one by one."
            )
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes)}
        )
    if data.startswith(_OLE_MAGIC):
        raise SignalFileError(
            _(
                "This is an old Excel file (.xls) or a file protected with a password. Open it "
                "in Excel, save it as .xlsx without a password or as CSV, and upload it again."
            )
        )
    extension = PurePath(filename).suffix.lower()
    if extension in XLSX_EXTENSIONS or (extension in CSV_EXTENSIONS and data[:4] == _ZIP_MAGIC):
        return _read_xlsx(data, today, default_partner_kind, max_rows, progress)
    if extension in CSV_EXTENSIONS:
        return _read_csv(data, today, default_partner_kind, max_rows, progress)
    raise SignalFileError(
        _(
            "Files of type “%(extension)s” cannot be read. Save the file as CSV or as an Excel "
            "workbook (.xlsx) and upload it again."
        )
        % {"extension": extension}
    )


def clean_row(
    raw: Mapping[str, object], *, today: dt.date, default_partner_kind: str = ""
) -> tuple[CleanSignal | None, list[RowError]]:
    """Clean one row keyed by canonical field name; other keys are ignored."""
    _check_partner_kind(default_partner_kind)
    texts = {name: cell_text(raw.get(name)) for name in CANONICAL_FIELDS}
    return _clean(texts, today, default_partner_kind, _new_memo())


# --- whole files -----------------------------------------------------------------------


def _read_csv(
    data: bytes, today: dt.date, default_kind: str, max_rows: int, progress: Progress | None
) -> ParsedFile:
    text, encoding = _decode(data)
    first_line = text[: text.find("\n") if "\n" in text else len(text)].strip().lower()
    delimiters = (first_line[4],) if len(first_line) == 5 and first_line[:4] == "sep=" else None
    # Amounts such as 1.234,56 make counting commas unreliable; the delimiter under which
    # the most column names are recognised is the right one.
    best = (-1, ";")
    for delimiter in delimiters or _DELIMITERS:
        found = _find_header(_non_blank(_csv_rows(text[:65536], delimiter), HEADER_SEARCH_ROWS))
        if (score := len(found[1].positions) if found else 0) > best[0]:
            best = (score, delimiter)
    rows = _csv_rows(text, best[1])
    head = _non_blank(rows, HEADER_SEARCH_ROWS)
    if not head:
        raise SignalFileError(_empty_message())
    parsed = _read_rows(head, rows, text.count("\n") + 1, today, default_kind, max_rows, progress)
    if parsed is None:
        raise SignalFileError(_no_header_message())
    parsed.encoding, parsed.delimiter = encoding, best[1]
    return parsed


def _read_xlsx(
    data: bytes, today: dt.date, default_kind: str, max_rows: int, progress: Progress | None
) -> ParsedFile:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # about styles and validation rules we do not use
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise SignalFileError(_broken_xlsx_message()) from exc
    seen_content = False
    try:
        for sheet in workbook.worksheets:
            total = sheet.max_row or 0
            # Some programs write a wrong size into the sheet; openpyxl would then cut rows.
            sheet.reset_dimensions()
            rows = _guarded(enumerate(sheet.iter_rows(values_only=True), start=1))
            head = _non_blank(rows, HEADER_SEARCH_ROWS)
            seen_content = seen_content or bool(head)
            parsed = _read_rows(head, rows, total, today, default_kind, max_rows, progress)
            if parsed is not None:
                parsed.sheet = sheet.title
                return parsed
    finally:
        workbook.close()
    raise SignalFileError(_no_header_message() if seen_content else _empty_message())


def _guarded(rows: Iterator[Row]) -> Iterator[Row]:
    try:
        yield from rows
    except Exception as exc:  # a damaged sheet only shows while it is read
        raise SignalFileError(_broken_xlsx_message()) from exc


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "windows-1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # NUL bytes mean UTF-16 without a byte-order mark, or no text file at all.
        sample = text[:65536]
        if "\x00" not in text and len(_CONTROL_RE.findall(sample)) * 100 <= len(sample):
            return text, encoding
    raise SignalFileError(
        _(
            "The file contains characters that cannot be read. In Excel, choose Save as, "
            "then CSV UTF-8, and upload the new file."
        )
    )


def _csv_rows(text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    line = 0  # the last line of the previous record: a quoted value may span lines
    try:
        for cells in reader:
            yield line + 1, cells
            line = reader.line_num
    except csv.Error as exc:
        raise SignalFileError(
            _(
                'Line %(line)s of the file cannot be read. Check that every quote mark (") '
                "is closed, and upload the file again."
            )
            % {"line": line + 1}
        ) from exc


def _non_blank(rows: Iterable[Row], limit: int) -> list[tuple[int, list[str]]]:
    found: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if any(texts := [cell_text(cell) for cell in cells]):
            found.append((line, texts))
            if len(found) == limit:
                break
    return found


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, HeaderMatch] | None:
    """The first row that names the most fields (at least two), as (index, match)."""
    best: tuple[int, HeaderMatch] | None = None
    for index, (_line, texts) in enumerate(rows):
        match = match_headers(texts)
        if len(match.positions) >= max(2, len(best[1].positions) + 1 if best else 0):
            best = (index, match)
    return best


def _read_rows(
    head: list[tuple[int, list[str]]],
    rows: Iterator[Row],
    total: int,
    today: dt.date,
    default_kind: str,
    max_rows: int,
    progress: Progress | None,
) -> ParsedFile | None:
    """Find the header in `head`, then clean every row; None when there is no header."""
    found = _find_header(head)
    if found is None:
        return None
    index, match = found
    if match.missing:
        raise SignalFileError(_missing_columns_message(match.missing))
    header_line = head[index][0]
    positions = [(name, match.positions.get(name, -1)) for name in CANONICAL_FIELDS]
    total = max(total - header_line, 0)
    first_lines: dict[tuple[str, str], int] = {}
    memo = _new_memo()
    parsed: list[ParsedRow] = []
    for line, cells in _chain(head[index + 1 :], rows):
        raw = _pick(cells, positions)
        if not any(raw.values()) or _repeats_header(raw):
            continue
        if len(parsed) == max_rows:
            raise SignalFileError(
                _(
                    "The file has more than %(limit)s rows. Split it into smaller files and "
                    "upload them one by one."
                )
                % {"limit": max_rows}
            )
        signal, errors = _clean(raw, today, default_kind, memo)
        if reference := " ".join(raw["partner_reference"].split()):
            key = (_partner_kind(raw["partner_kind"], default_kind), reference)
            if (first := first_lines.setdefault(key, line)) != line:
                signal = None
                message = _(
                    "Reference “%(value)s” is already used on line %(line)s. Each signal needs "
                    "its own reference: remove the double row or correct the reference."
                )
                errors.append(
                    RowError(
                        "partner_reference", message % {"value": _show(reference), "line": first}
                    )
                )
        parsed.append(ParsedRow(line, raw, signal, errors))
        if progress is not None and len(parsed) % PROGRESS_EVERY == 0:
            progress(len(parsed), max(total, len(parsed)))
    if progress is not None:
        progress(len(parsed), len(parsed))
    return ParsedFile(parsed, match.columns, match.ignored, "", None, header_line)


def _repeats_header(raw: Mapping[str, str]) -> bool:
    """Files glued together keep the header row of each part."""
    date = raw["signal_date"]
    return (
        date[:1].isalpha()
        and HEADER_LOOKUP.get(header_key(date), ("", 0))[0] == "signal_date"
        and HEADER_LOOKUP.get(header_key(raw["surname"]), ("", 0))[0] == "surname"
    )


def _chain(first: Iterable[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest


def _pick(cells: Sequence[object], positions: list[tuple[str, int]]) -> dict[str, str]:
    size = len(cells)
    if isinstance(cells, list):  # from CSV: text already, and this runs for every cell
        texts = cast(list[str], cells)
        return {name: texts[i].strip(STRIP) if 0 <= i < size else "" for name, i in positions}
    return {name: cell_text(cells[i]) if 0 <= i < size else "" for name, i in positions}


# --- one row ---------------------------------------------------------------------------


def _clean(
    raw: Mapping[str, str], today: dt.date, default_kind: str, memo: Memo
) -> tuple[CleanSignal | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        errors.append(RowError(name, message))

    reference = " ".join(raw["partner_reference"].split())
    if not reference:
        fail("partner_reference", _("The reference is missing. Fill in the partner’s reference."))

    kind = _partner_kind(raw["partner_kind"], default_kind)
    if kind and kind not in PARTNER_KINDS:
        choices = ", ".join(names[0] for names in PARTNER_KINDS.values())
        message = _("Partner kind “%(value)s” is not known. Use one of: %(choices)s.")
        fail("partner_kind", message % {"value": _show(kind), "choices": choices})

    signal_date = _date(raw["signal_date"], "signal_date", fail)
    if signal_date is not None and signal_date > today:
        message = _("The signal date %(value)s is in the future. Check the date.")
        fail("signal_date", message % {"value": format_date(signal_date)})
    elif signal_date is not None and validators.SIGNAL_DATE.error(signal_date, today=today):
        earliest, _latest = validators.SIGNAL_DATE.bounds(today)
        message = _(
            "The signal date %(value)s lies too far back. Fill in a date between %(earliest)s "
            "and today."
        )
        fail(
            "signal_date",
            message % {"value": format_date(signal_date), "earliest": format_date(earliest)},
        )

    birth = _date(raw["date_of_birth"], "date_of_birth", fail)
    if birth is not None and (wrong := validators.date_of_birth_error(birth, today=today)):
        fail("date_of_birth", wrong)

    end_of_supply = _date(raw["end_of_supply_date"], "end_of_supply_date", fail)
    if end_of_supply is not None and validators.END_OF_SUPPLY.error(end_of_supply, today=today):
        earliest, latest = validators.END_OF_SUPPLY.bounds(today)
        message = _(
            "The end date of supply %(value)s is not possible. Fill in a date between "
            "%(earliest)s and %(latest)s."
        )
        fail(
            "end_of_supply_date",
            message
            % {
                "value": format_date(end_of_supply),
                "earliest": format_date(earliest),
                "latest": format_date(latest),
            },
        )
    initials = _checked("initials", raw["initials"], validators.normalise_initials, fail, memo)
    given_names = _checked("given_names", raw["given_names"], _valid_name, fail, memo)
    prefix = _checked("surname_prefix", raw["surname_prefix"], _valid_prefix, fail, memo)
    surname = _checked("surname", raw["surname"], _valid_name, fail, memo)
    if not surname:
        fail("surname", _("The surname is missing. Fill in the surname."))
    postcode = _checked("postcode", raw["postcode"], validators.normalise_postcode, fail, memo)
    if not postcode:
        fail("postcode", _("The postcode is missing. Write it as 1234 AB."))
    number, letter, addition = _house_number(raw, fail, memo)
    amount = _amount(raw["amount"], fail)
    missed_terms = _missed_terms(raw["missed_terms"], fail)

    if errors or signal_date is None or number is None:
        return None, errors
    signal = CleanSignal(
        partner_reference=reference,
        partner_kind=kind,
        signal_date=signal_date,
        initials=initials,
        given_names=given_names,
        surname_prefix=prefix,
        surname=surname,
        date_of_birth=birth,
        street=" ".join(raw["street"].split()),
        house_number=number,
        house_letter=letter,
        addition=addition,
        postcode=postcode,
        town=" ".join(raw["town"].split()),
        amount=amount,
        missed_terms=missed_terms,
        end_of_supply_date=end_of_supply,
    )
    return signal, errors


def _checked(name: str, value: str, check: Callable[[str], str], fail: Fail, memo: Memo) -> str:
    """`value` as `check` normalises it, or as written when `check` finds fault.

    Remembered per file: names and postcodes repeat, and the checks are the slow part.
    """
    if not value:
        return ""
    known = memo[name]
    if (result := known.get(value)) is None:
        try:
            result = check(value)
        except ValidationError as exc:
            result = RowError(name, str(exc.messages[0]))
        known[value] = result
    if isinstance(result, RowError):
        fail(name, result.message)
        return value
    return result


def _valid_name(value: str) -> str:
    """A name as a partner's system holds the contract: "Vries, de", "'T HART",
    "Schildersbedrijf J. de Vries" are all real and matching reads them, so only what
    cannot be a name is refused (no letter at all, digits only, control characters)."""
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if not any(ch.isalpha() for ch in value):
        raise ValidationError(
            _("“%(value)s” is not a name: it has no letters. Fill in the surname.")
            % {"value": value}
        )
    if len(value) > 150:
        raise ValidationError(_("The name is longer than 150 characters. Shorten it."))
    return value


def _valid_letter(value: str) -> str:
    validators.validate_house_letter(value)
    return value


def _valid_addition(value: str) -> str:
    validators.validate_house_number_addition(value)
    return value


def _valid_prefix(value: str) -> str:
    # Partners write "Van der" at the start of a line, "v.d." or "V/D" in short.
    value = " ".join(value.lower().split())
    if len(value) > 30 or any(ch.isdigit() for ch in value):
        validators.validate_surname_prefix(value)
    return value


def _date(value: str, name: str, fail: Fail) -> dt.date | None:
    if not value:
        if name == "signal_date":
            fail(name, _("The signal date is missing. Write it as dd-mm-yyyy, such as 31-01-2026."))
        return None
    if (parsed := parse_date(value)) is None:
        message = {
            "signal_date": _(
                "The signal date “%(value)s” cannot be read. Write it as dd-mm-yyyy, such as "
                "31-01-2026."
            ),
            "date_of_birth": _(
                "The date of birth “%(value)s” cannot be read. Write it as dd-mm-yyyy, such as "
                "31-01-1980."
            ),
            "end_of_supply_date": _(
                "The end date of supply “%(value)s” cannot be read. Write it as dd-mm-yyyy, "
                "such as 31-01-2026."
            ),
        }[name]
        fail(name, message % {"value": _show(value)})
    return parsed


def _house_number(raw: Mapping[str, str], fail: Fail, memo: Memo) -> tuple[int | None, str, str]:
    """Number, letter and addition; the own columns for letter and addition come first."""
    value, letter, addition = raw["house_number"], raw["house_letter"], raw["addition"]
    letter, addition = letter.upper(), "".join(addition.split()).upper()
    letter = _checked("house_letter", letter, _valid_letter, fail, memo)
    addition = _checked("addition", addition, _valid_addition, fail, memo)
    if not value:
        fail("house_number", _("The house number is missing. Fill in a number, such as 12."))
        return None, letter, addition
    split = split_house_number(value)
    if split is None or not 0 < split[0] <= 99999:
        message = _(
            "House number “%(value)s” cannot be read. Write a number from 1 to 99999, perhaps "
            "with a letter or addition, such as 12, 12A or 12-2."
        )
        fail("house_number", message % {"value": _show(value)})
        return None, letter, addition
    number, own_letter, own_addition = split
    if (letter and own_letter and letter != own_letter) or (
        addition and own_addition and addition != own_addition
    ):
        message = _(
            "House number “%(value)s” does not match the house letter or addition in their "
            "own columns. Make them the same, or leave one empty."
        )
        fail("house_number", message % {"value": _show(value)})
        return None, letter, addition
    return number, letter or own_letter, addition or own_addition


def _amount(value: str, fail: Fail) -> Decimal | None:
    if not value:
        return None
    if (amount := parse_amount(value)) is None:
        message = _(
            "The amount “%(value)s” cannot be read. Write an amount in euros, such as 1234,56."
        )
        fail("amount", message % {"value": _show(value)})
    elif amount < 0:
        message = _("The amount %(value)s is below zero. Fill in the amount that is still unpaid.")
        fail("amount", message % {"value": _show(value)})
    return amount


def _missed_terms(value: str, fail: Fail) -> int | None:
    if not value:
        return None
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 3):
        message = _(
            "The number of missed terms “%(value)s” cannot be read. Write a whole number, "
            "such as 3."
        )
        fail("missed_terms", message % {"value": _show(value)})
        return None
    if digits != value:
        fail("missed_terms", _("The number of missed terms cannot be below zero."))
    return int(value)


def _partner_kind(value: str, default_kind: str) -> str:
    """The canonical partner kind; a spelling we do not know comes back as written."""
    return _kind_of(value) if value else default_kind


@lru_cache(maxsize=256)  # a file holds one or a few spellings, on every row
def _kind_of(value: str) -> str:
    return PARTNER_KIND_LOOKUP.get(header_key(value), value)


def _check_partner_kind(kind: str) -> None:
    if kind and kind not in PARTNER_KINDS:
        raise ValueError(f"default_partner_kind must be '' or one of {list(PARTNER_KINDS)}")


def _show(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


# Built when used, so the message is in the language of the request.
def _empty_message() -> str:
    return _("The file is empty. Choose the file with the signals and upload it again.")


def _no_header_message() -> str:
    return _(
        "No row with column names was found at the top of the file. The first row should "
        "name the columns, such as: %(examples)s."
    ) % {"examples": ", ".join(HEADER_SPELLINGS[name][0] for name in REQUIRED_FIELDS)}


def _broken_xlsx_message() -> str:
    return _(
        "The Excel file cannot be opened; it may be damaged. Open it in Excel, save it again "
        "as .xlsx, and upload it again."
    )


def _missing_columns_message(missing: list[str]) -> str:
    described = "; ".join(
        _("%(column)s (accepted names: %(names)s)")
        % {"column": HEADER_SPELLINGS[name][0], "names": ", ".join(HEADER_SPELLINGS[name])}
        for name in missing
    )
    return _(
        "The file has no column for: %(columns)s. Add the column, or give it one of the "
        "accepted names, and upload the file again."
    ) % {"columns": described}
