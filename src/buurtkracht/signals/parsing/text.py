"""CSV text: how the bytes are decoded (per line where a file mixes encodings) and how
the text is split into records (a quote left open does not swallow the lines after it)."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from django.utils.translation import gettext as _

from buurtkracht.signals.columns import readable
from buurtkracht.signals.parsing.records import SignalFileError

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
Row = tuple[int, Sequence[object]]


def decode(data: bytes) -> tuple[str, str, list[int]]:
    """The text, its encoding, and the lines (1-based) read as Windows-1252 in a file that
    is otherwise UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "windows-1252")
    for encoding in encodings:
        foreign: list[int] = []
        try:
            # An encoded surrogate (ED A0 80) is let through here, to be refused per row
            # rather than to turn the whole file into Windows-1252.
            text = data.decode(encoding, "surrogatepass" if encoding == "utf-8" else "strict")
        except UnicodeDecodeError:
            if encoding == "utf-16":
                continue
            # Per line: a file put together from two sources is UTF-8 with a few lines in
            # Windows-1252 (or the other way round). Each line is read in the encoding it
            # was written in, so the UTF-8 lines keep their ë and é.
            text, foreign = _decode_per_line(data.removeprefix(codecs.BOM_UTF8))
            encoding = "windows-1252" if _mostly_foreign(data, foreign) else "utf-8"
        # Many NUL bytes mean UTF-16 without a byte-order mark, or no text file at all; a
        # stray NUL or control character in a cell is refused on its row, and the other
        # rows are taken in.
        sample = text[:65536]
        if len(_CONTROL_RE.findall(sample)) * 100 <= len(sample):
            return readable(text), encoding, foreign if encoding == "utf-8" else []
    raise SignalFileError(
        _(
            "The file contains characters that cannot be read. In Excel, choose Save as, "
            "then CSV UTF-8, and upload the new file."
        )
    )


def _decode_per_line(data: bytes) -> tuple[str, list[int]]:
    parts: list[str] = []
    foreign: list[int] = []
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8", "surrogatepass"))
        except UnicodeDecodeError:
            # The five bytes Windows-1252 leaves undefined become U+FFFD: refused on the row.
            parts.append(line.decode("windows-1252", "replace"))
            foreign.append(number)
    return "".join(parts), foreign


def _mostly_foreign(data: bytes, foreign: list[int]) -> bool:
    """A Windows-1252 file whose ASCII-only lines happen to be valid UTF-8 too."""
    non_ascii = sum(1 for line in data.splitlines() if not line.isascii())
    return len(foreign) * 2 > non_ascii


class BrokenRecord(list[str]):
    """The cells of a physical line that could not be read as a record, with why."""

    def __init__(self, cells: Iterable[str], message: str) -> None:
        super().__init__(cells)
        self.message = message


def csv_records(text: str, delimiter: str) -> Iterator[Row]:
    """(line, cells) per record. A quote that is never closed would swallow the lines after
    it into one value: that line is given back as a `BrokenRecord`, and reading goes on
    at the next line, so the records after it are kept."""
    lines = io.StringIO(text, newline="").readlines()
    start = 0  # the line (0-based) the current reader began at
    while True:
        feed = iter(lines)
        cast(Any, feed).__setstate__(start)  # a list iterator can begin anywhere
        reader = csv.reader(feed, delimiter=delimiter, skipinitialspace=True)
        done = 0  # lines the reader has read: a quoted value may span lines
        try:
            for cells in reader:
                if reader.line_num - done > 1 and _swallows_records(cells, delimiter):
                    break
                yield start + done + 1, cells
                done = reader.line_num
            else:
                return
        except csv.Error:  # a value of more than 128 KB: a quote left open
            pass
        broken = start + done
        yield broken + 1, BrokenRecord(_plain_cells(lines[broken], delimiter), _open_quote())
        start = broken + 1


def _swallows_records(cells: list[str], delimiter: str) -> bool:
    """A value over several lines whose later lines hold the delimiter: records, not text."""
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            rest = cell.split("\n", 1)[-1] if "\n" in cell else cell.split("\r", 1)[-1]
            if delimiter in rest:
                return True
    return False


def _plain_cells(line: str, delimiter: str) -> list[str]:
    """The line's fields as written, quote marks included, to show for correction."""
    return line.rstrip("\r\n").split(delimiter)


def _open_quote() -> str:
    return _(
        'This line has a quote mark (") that is not closed, so the lines after it would be '
        "read as one value. The line is set aside; the lines after it are read as usual. "
        "Correct the values below, or remove the quote mark in the file."
    )


def foreign_lines_message(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:10]) + (" …" if len(lines) > 10 else "")
    return _(
        "The file is UTF-8, but %(count)s line(s) were written as Windows-1252 (lines "
        "%(lines)s). Each line was read in its own encoding; check the names on those lines."
    ) % {"count": len(lines), "lines": shown}
