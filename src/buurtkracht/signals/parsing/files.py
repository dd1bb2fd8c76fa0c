"""Whole files: CSV or XLSX, encoding and delimiter, the header row, limits, progress."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import PurePath
from typing import cast

from django.utils.translation import gettext as _

from buurtkracht.signals.columns import (
    CANONICAL_FIELDS,
    HEADER_LOOKUP,
    HEADER_SPELLINGS,
    REQUIRED_FIELDS,
    STRIP,
    HeaderMatch,
    cell_text,
    header_key,
    match_headers,
    readable,
)
from buurtkracht.signals.parsing.records import ParsedFile, ParsedRow, RowError, SignalFileError
from buurtkracht.signals.parsing.rows import (
    _check_partner_kind,
    _clean,
    _new_memo,
    _partner_kind,
    _show,
)

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
Progress = Callable[[int, int], None]
Row = tuple[int, Sequence[object]]


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
            # An encoded surrogate (ED A0 80) is let through here, to be refused per row
            # rather than to turn the whole file into Windows-1252.
            text = data.decode(encoding, "surrogatepass" if encoding == "utf-8" else "strict")
        except UnicodeDecodeError:
            continue
        # Many NUL bytes mean UTF-16 without a byte-order mark, or no text file at all; a
        # stray NUL or control character in a cell is refused on its row, and the other
        # rows are taken in.
        sample = text[:65536]
        if len(_CONTROL_RE.findall(sample)) * 100 <= len(sample):
            return readable(text), encoding
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
