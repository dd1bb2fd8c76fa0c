"""What reading gives: cleaned signals, row errors, parsed rows and files, file errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


class SignalFileError(Exception):
    """The whole file cannot be read; `message` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownColumnsError(SignalFileError):
    """The header names columns that are not recognised: nothing is stored unless the
    partner chooses to leave them out. `columns` are the names as written."""

    def __init__(self, message: str, columns: list[str]) -> None:
        super().__init__(message)
        self.columns = columns


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
    # Fields set aside with a warning (a placeholder or impossible date of birth): the
    # signal is kept without them, and the warning goes with it.
    warnings: tuple[RowError, ...] = ()


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
    # Of `ignored_columns`: not recognised at all (read only when the partner allowed it).
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the partner: how the file was read

    @property
    def signals(self) -> list[CleanSignal]:
        return [row.signal for row in self.rows if row.signal is not None]

    @property
    def rows_with_errors(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.errors]
