"""Whole files: CSV or XLSX, encoding and delimiter, the header row, limits, progress."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import cast

from django.utils.translation import gettext as _

from buurtkracht.signals.columns import (
    CANONICAL_FIELDS,
    STRIP,
    cell_text,
)
from buurtkracht.signals.parsing.headers import (
    find_header,
    missing_columns_message,
    no_header_message,
    repeats_header,
    unknown_columns_message,
)
from buurtkracht.signals.parsing.records import (
    ParsedFile,
    ParsedRow,
    RowError,
    SignalFileError,
    UnknownColumnsError,
)
from buurtkracht.signals.parsing.rows import (
    _check_partner_kind,
    _clean,
    _new_memo,
    _partner_kind,
    _show,
)
from buurtkracht.signals.parsing.text import (
    BrokenRecord,
    Row,
    csv_records,
    decode,
    foreign_lines_message,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# An XLSX file is a zip archive: what its members unpack to is checked, as the archive
# declares it, before anything is read. 200,000 rows of a wide sheet unpack to about
# 120 MB; an archive that unpacks a hundred times its size or more is no spreadsheet.
MAX_UNPACKED = 300 * 1024 * 1024
MAX_UNPACK_RATIO = 100
MAX_ZIP_MEMBERS = 1_000
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 1_000
CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv", ""})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
_DELIMITERS = (";", ",", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every password-protected .xlsx
Progress = Callable[[int, int], None]


def read_signal_file(
    data: bytes,
    filename: str,
    *,
    today: dt.date,
    default_partner_kind: str = "",
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
    allow_unknown_columns: bool = False,
) -> ParsedFile:
    """Read a partner's signal file; see the module docstring. A column that is not
    recognised stops the file (`UnknownColumnsError`) unless `allow_unknown_columns`."""
    _check_partner_kind(default_partner_kind)
    options = _Options(today, default_partner_kind, max_rows, progress, allow_unknown_columns)
    return _read_file(data, filename, options, max_bytes)


def _read_file(data: bytes, filename: str, options: _Options, max_bytes: int) -> ParsedFile:
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
        return _read_xlsx(data, options)
    if extension in CSV_EXTENSIONS:
        return _read_csv(data, options)
    raise SignalFileError(
        _(
            "Files of type “%(extension)s” cannot be read. Save the file as CSV or as an Excel "
            "workbook (.xlsx) and upload it again."
        )
        % {"extension": extension}
    )


def check_signal_file(
    data: bytes, filename: str, *, today: dt.date, allow_unknown_columns: bool = False
) -> None:
    """What the upload page checks before it stores a file for a background job: the
    refusals of `read_signal_file` for the file as a whole and its header (size, type, a
    damaged or absurd workbook, no header, missing or unknown columns), without reading
    the rows. Raises the same `SignalFileError` / `UnknownColumnsError`."""
    options = _Options(today, "", MAX_ROWS, None, allow_unknown_columns, header_only=True)
    try:
        _read_file(data, filename, options, MAX_BYTES)
    except _HeaderAccepted:
        return


# --- whole files -----------------------------------------------------------------------


class _Options:
    __slots__ = ("allow_unknown", "default_kind", "header_only", "max_rows", "progress", "today")

    def __init__(
        self,
        today: dt.date,
        default_kind: str,
        max_rows: int,
        progress: Progress | None,
        allow_unknown: bool,
        header_only: bool = False,
    ) -> None:
        self.today, self.default_kind, self.max_rows = today, default_kind, max_rows
        self.progress, self.allow_unknown = progress, allow_unknown
        self.header_only = header_only


class _HeaderAccepted(Exception):
    """Raised by `_read_rows` when only the header was to be checked, and it passed."""


def _read_csv(data: bytes, options: _Options) -> ParsedFile:
    text, encoding, foreign_lines = decode(data)
    first_line = text[: text.find("\n") if "\n" in text else len(text)].strip().lower()
    delimiters = (first_line[4],) if len(first_line) == 5 and first_line[:4] == "sep=" else None
    # Amounts such as 1.234,56 make counting commas unreliable; the delimiter under which
    # the most column names are recognised is the right one.
    best = (-1, ";")
    for delimiter in delimiters or _DELIMITERS:
        found = find_header(_non_blank(csv_records(text[:65536], delimiter), HEADER_SEARCH_ROWS))
        if (score := len(found[1].positions) if found else 0) > best[0]:
            best = (score, delimiter)
    rows = csv_records(text, best[1])
    head = _non_blank(rows, HEADER_SEARCH_ROWS)
    if not head:
        raise SignalFileError(_empty_message())
    total = text.count("\n") + 1
    parsed = _read_rows(head, rows, total, options, delimiter=best[1])
    if parsed is None:
        raise SignalFileError(no_header_message())
    parsed.encoding, parsed.delimiter = encoding, best[1]
    if foreign_lines:
        parsed.notes.append(foreign_lines_message(foreign_lines))
    return parsed


def _read_xlsx(data: bytes, options: _Options) -> ParsedFile:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
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
            parsed = _read_rows(head, rows, total, options, delimiter=None)
            if parsed is not None:
                parsed.sheet = sheet.title
                return parsed
    finally:
        workbook.close()
    raise SignalFileError(no_header_message() if seen_content else _empty_message())


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a zip archive that would unpack to an absurd size, before it is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise SignalFileError(_broken_xlsx_message()) from exc
    unpacked = sum(member.file_size for member in members)
    if (
        len(members) > MAX_ZIP_MEMBERS
        or unpacked > MAX_UNPACKED
        or unpacked > MAX_UNPACK_RATIO * max(len(data), 1024 * 1024)
    ):
        raise SignalFileError(
            _(
                "This Excel file says it unpacks to %(size)s MB, far more than a file of "
                "signals needs (at most %(limit)s MB). It was not opened. Open it in Excel, "
                "save it as CSV UTF-8 or again as .xlsx, and upload the new file."
            )
            % {"size": _megabytes(unpacked), "limit": _megabytes(MAX_UNPACKED)}
        )


def _guarded(rows: Iterator[Row]) -> Iterator[Row]:
    try:
        yield from rows
    except Exception as exc:  # a damaged sheet only shows while it is read
        raise SignalFileError(_broken_xlsx_message()) from exc


def _non_blank(rows: Iterable[Row], limit: int) -> list[tuple[int, list[str]]]:
    found: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if any(texts := [cell_text(cell) for cell in cells]):
            if isinstance(cells, BrokenRecord):
                texts = BrokenRecord(texts, cells.message)
            found.append((line, texts))
            if len(found) == limit:
                break
    return found


def _read_rows(
    head: list[tuple[int, list[str]]],
    rows: Iterator[Row],
    total: int,
    options: _Options,
    *,
    delimiter: str | None,
) -> ParsedFile | None:
    """Find the header in `head`, then clean every row; None when there is no header.
    `delimiter` is given for CSV, whose rows must have as many fields as the header."""
    found = find_header(head)
    if found is None:
        return None
    index, match = found
    if match.missing:
        raise SignalFileError(missing_columns_message(match.missing))
    if match.unknown and not options.allow_unknown:
        raise UnknownColumnsError(unknown_columns_message(match.unknown), match.unknown)
    if options.header_only:
        raise _HeaderAccepted
    today, default_kind, max_rows, progress = (
        options.today,
        options.default_kind,
        options.max_rows,
        options.progress,
    )
    header_line, header = head[index]
    width = max((i + 1 for i, text in enumerate(header) if text), default=0)
    unnamed = [i for i, text in enumerate(header) if not text]
    shape = (width, len(header), unnamed)
    positions = [(name, match.positions.get(name, -1)) for name in CANONICAL_FIELDS]
    total = max(total - header_line, 0)
    first_lines: dict[tuple[str, str], int] = {}
    memo = _new_memo()
    parsed: list[ParsedRow] = []
    for line, cells in _chain(head[index + 1 :], rows):
        raw = _pick(cells, positions)
        broken = isinstance(cells, BrokenRecord)
        if (not broken and not any(raw.values())) or repeats_header(raw):
            continue
        if len(parsed) == max_rows:
            raise SignalFileError(
                _(
                    "The file has more than %(limit)s rows. Split it into smaller files and "
                    "upload them one by one."
                )
                % {"limit": max_rows}
            )
        # A row that is not one record (a quote left open, a separator inside a value) gets
        # one message for the whole row, not one per field its values were shifted into.
        wrong = cells.message if isinstance(cells, BrokenRecord) else ""
        if not wrong and (len(cells) != shape[1] or unnamed):  # the rest fit the header
            wrong = _wrong_width(cells, shape, delimiter)
        if wrong:
            signal, errors = None, [RowError("", wrong)]
        else:
            signal, errors = _clean(raw, today, default_kind, memo)
        if not wrong and (reference := " ".join(raw["partner_reference"].split())):
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
    if not parsed:
        raise SignalFileError(
            _(
                "The file has a row with column names (line %(line)s) but no rows with "
                "signals below it. Check that you chose the right file, and upload it again."
            )
            % {"line": header_line}
        )
    if progress is not None:
        progress(len(parsed), len(parsed))
    result = ParsedFile(parsed, match.columns, match.ignored, "", None, header_line)
    result.unknown_columns = list(match.unknown)
    return result


def _wrong_width(
    cells: Sequence[object], shape: tuple[int, int, list[int]], delimiter: str | None
) -> str:
    """A message when a row does not fit the header, else "": a CSV row with another
    number of fields (empty fields after the last column do no harm), or a value in a
    column without a name (which would otherwise be dropped without a word). `shape` is
    the header's (fields up to the last name, fields, indexes of fields without a name)."""
    width, header_size, unnamed = shape
    size = len(cells)
    beyond = [i for i in range(header_size, size) if _filled(cells[i])]
    if delimiter is not None and (size < width or beyond):
        return _(
            "This line has %(found)s fields, but the row with column names has %(expected)s. "
            "A value probably holds the separator %(delimiter)s without quotes around it, or "
            "a field is missing. Correct the values below, or put quotes around the value in "
            "the file and deliver it again."
        ) % {
            "found": size,
            "expected": width,
            "delimiter": _("(tab)") if delimiter == "\t" else f"“{delimiter}”",
        }
    columns = [i + 1 for i in (*unnamed, *beyond) if i < size and _filled(cells[i])]
    if not columns:
        return ""
    return _(
        "This line has a value in column %(columns)s, which has no name in the row with "
        "column names, so the value would be lost. Give the column a name, or remove the "
        "value."
    ) % {"columns": ", ".join(str(n) for n in columns)}


def _filled(cell: object) -> bool:
    return cell is not None and bool(cell_text(cell))


def _chain(first: Iterable[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest


def _pick(cells: Sequence[object], positions: list[tuple[str, int]]) -> dict[str, str]:
    size = len(cells)
    if isinstance(cells, list):  # from CSV: text already, and this runs for every cell
        texts = cast(list[str], cells)
        return {name: texts[i].strip(STRIP) if 0 <= i < size else "" for name, i in positions}
    return {name: cell_text(cells[i]) if 0 <= i < size else "" for name, i in positions}


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


# Built when used, so the message is in the language of the request.
def _empty_message() -> str:
    return _("The file is empty. Choose the file with the signals and upload it again.")


def _broken_xlsx_message() -> str:
    return _(
        "The Excel file cannot be opened; it may be damaged. Open it in Excel, save it again "
        "as .xlsx, and upload it again."
    )
