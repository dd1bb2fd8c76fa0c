"""Read the files in which partners deliver signals of payment arrears (vroegsignalering).

Housing corporations, energy suppliers, water companies and health insurers send a CSV
or Excel file each month. This package turns each row into a cleaned record, or into
messages that say what is wrong, so a person can correct the row and send it again.
It holds no models and makes no queries: the services in `signals` call it and store.

Interface
---------
``read_signal_file(data, filename, *, today, default_partner_kind="", max_bytes=MAX_BYTES,
max_rows=MAX_ROWS, progress=None, allow_unknown_columns=False) -> ParsedFile``
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

Where things are: `files` (whole files: format, header, limits, progress), `text` (CSV:
decoding per line where a file mixes UTF-8 and Windows-1252, records and quotes left
open), `headers` (the header row, and messages for columns missing or not recognised),
`rows` (one row, field by field) and `records` (what they give back).

Nothing is dropped without a word: a column that is not recognised stops the file
(`UnknownColumnsError`, naming what each might mean) unless the caller passes
`allow_unknown_columns=True`; a header with no data rows, and an XLSX archive that declares
an absurd unpacked size, are refused; a CSV row with another number of fields than the
header, a value in a column without a name, or a quote left open gets one message.
"""

from buurtkracht.signals.columns import (
    CANONICAL_FIELDS,
    HEADER_SPELLINGS,
    PARTNER_KINDS,
    REQUIRED_FIELDS,
)
from buurtkracht.signals.parsing.files import (
    MAX_BYTES,
    MAX_ROWS,
    check_signal_file,
    read_signal_file,
)
from buurtkracht.signals.parsing.records import (
    CleanSignal,
    ParsedFile,
    ParsedRow,
    RowError,
    SignalFileError,
    UnknownColumnsError,
)
from buurtkracht.signals.parsing.rows import clean_row

__all__ = [
    "CANONICAL_FIELDS",
    "HEADER_SPELLINGS",
    "MAX_BYTES",
    "MAX_ROWS",
    "PARTNER_KINDS",
    "REQUIRED_FIELDS",
    "CleanSignal",
    "ParsedFile",
    "ParsedRow",
    "RowError",
    "SignalFileError",
    "UnknownColumnsError",
    "check_signal_file",
    "clean_row",
    "read_signal_file",
]
