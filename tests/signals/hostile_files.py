"""A small corpus of messy and hostile partner files, made in code (issue 17, item 6).

Each file says what a municipality would want to happen to it: refused with a message that
holds `refused`, or taken in with `taken` signals and `aside` rows set aside; `check` looks
closer at what was stored. The corpus is run through the service, the command and the
upload page by tests/signals/test_hostile_files.py, which demands the same result from all
three and no crash.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl

Snapshot = dict[str, Any]


@dataclass(frozen=True)
class HostileFile:
    name: str
    filename: str
    data: bytes
    refused: str = ""  # a fragment of the message when the whole file is refused
    taken: int = 0
    aside: int = 0
    check: Callable[[Snapshot], object] | None = field(default=None, compare=False)


def _day() -> str:
    """A signal date that is always valid: three days before the clock's today."""
    from django.utils import timezone

    return (timezone.localdate() - dt.timedelta(days=3)).strftime("%d-%m-%Y")


def _csv(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _declared_size(data: bytes, size: int) -> bytes:
    """`data` (a zip archive) with every member's declared unpacked size set to `size`, in
    the central directory, which is what a reader sizes its buffers by."""
    patched = bytearray(data)
    at = patched.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<I", patched, at + 24, size)
        at = patched.find(b"PK\x01\x02", at + 4)
    return bytes(patched)


def _real_bomb() -> bytes:
    """An archive whose one sheet unpacks to 110 MB of spaces, more than 100 times its size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b" " * (1024 * 1024)
            for _ in range(110):
                member.write(block)
    return buffer.getvalue()


HEADER = "Kenmerk;Signaaldatum;Voorletters;Achternaam;Postcode;Huisnummer;Bedrag achterstand"


def _row(ref: str, surname: str = "Jansen", amount: str = "€ 120,50", number: str = "12") -> str:
    return f"{ref};{_day()};J.;{surname};1234 AB;{number};{amount}"


def corpus() -> list[HostileFile]:
    day = _day()
    files: list[HostileFile] = []
    add = files.append

    # --- encodings ------------------------------------------------------------------------
    mixed = (
        _csv([HEADER, _row("M-1", "Hoëvenaars")])
        + _row("M-2", "Çelik").encode("cp1252")
        + b"\r\n"
        + _csv([_row("M-3", "Müller")])
    )

    def mixed_check(snap: Snapshot) -> None:
        assert {s[1] for s in snap["signals"]} == {"Hoëvenaars", "Çelik", "Müller"}
        assert "Windows-1252" in snap["message"] and "3" in snap["message"]

    add(HostileFile("utf8 with one cp1252 line", "gemengd.csv", mixed, taken=3, check=mixed_check))
    add(
        HostileFile(
            "whole file cp1252",
            "ansi.csv",
            _csv([HEADER, _row("A-1", "Hoëvenaars"), _row("A-2", "Öztürk")], "cp1252"),
            taken=2,
            check=lambda s: _surnames(s) == {"Hoëvenaars", "Öztürk"} or _fail(s),
        )
    )
    add(
        HostileFile(
            "utf16 with bom, tabs",
            "unicode.txt",
            _csv([HEADER.replace(";", "\t"), _row("U-1", "Ağaoğlu").replace(";", "\t")], "utf-16"),
            taken=1,
        )
    )
    add(HostileFile("binary garbage", "data.csv", bytes(range(256)) * 40, refused="cannot be read"))
    add(HostileFile("empty", "leeg.csv", b"\xef\xbb\xbf\r\n", refused="empty"))

    # --- headers --------------------------------------------------------------------------
    english = _csv(
        [
            "Reference,Signal date,Surname,Post code,House number,House number addition,"
            "Arrears amount,Number of terms,End date",
            f'E-1,{day},Smith,1234AB,7,bis,"1,234.50",4,',
        ]
    )

    def english_check(snap: Snapshot) -> None:
        [signal] = snap["signals"]
        assert signal[7:10] == ("BIS", "1234.50", 4), signal

    add(HostileFile("english headers", "english.csv", english, taken=1, check=english_check))
    abbreviated = _csv(
        [
            "Kenm.;Signaaldat.;Voorl.;Tussenv.;Achtern.;Postc.;Huisnr.;Huisl.;Huisnr. toev.;"
            "Bedrag;Aant. termijnen;Einddatum",
            f"D-1;{day};P.;van der;Berg;1234 AB;12;B;2;85,00;2;01-06-2026",
        ]
    )

    def abbreviated_check(snap: Snapshot) -> None:
        [signal] = snap["signals"]
        assert signal[1:10] == ("Berg", "", "P.", "van der", 12, "B", "2", "85.00", 2), signal
        assert signal[10] == dt.date(2026, 6, 1)

    add(
        HostileFile("dutch abbreviations", "afk.csv", abbreviated, taken=1, check=abbreviated_check)
    )
    add(
        HostileFile(
            "unknown column stops the file",
            "onbekend.csv",
            _csv([HEADER + ";Bedr. achterst.;Xyzzy", _row("K-1") + ";12,00;x"]),
            refused="Bedr. achterst.",
            check=lambda s: "Bedrag achterstand" in s["message"] or _fail(s),
        )
    )
    add(
        HostileFile(
            "known unused column is named, not a stop",
            "opmerking.csv",
            _csv([HEADER + ";Opmerking", _row("O-1") + ";belt terug"]),
            taken=1,
            check=lambda s: s["ignored"] == ["Opmerking"] or _fail(s),
        )
    )
    add(
        HostileFile(
            "no amount column",
            "zonderbedrag.csv",
            _csv(["Kenmerk;Datum;Naam;Postcode;Huisnr", f"Z-1;{day};Mol;1234AB;1"]),
            refused="Bedrag achterstand",
        )
    )
    add(HostileFile("header only", "kop.csv", _csv([HEADER]), refused="no rows with signals"))
    add(
        HostileFile(
            "header and separators only",
            "kop2.csv",
            _csv(["Titel", HEADER, ";;;;;;", "", HEADER]),
            refused="no rows with signals",
        )
    )
    add(
        HostileFile(
            "title row, repeated header, trailing empty fields",
            "rommelig.csv",
            _csv(["Signalen januari", HEADER, _row("T-1") + ";;", HEADER, _row("T-2")]),
            taken=2,
        )
    )
    add(
        HostileFile(
            "value in a column without a name",
            "naamloos.csv",
            _csv([HEADER + ";", _row("N-1") + ";verloren", _row("N-2") + ";"]),
            taken=1,
            aside=1,
            check=lambda s: "no name" in s["aside"][0][1][0] or _fail(s),
        )
    )

    # --- rows -----------------------------------------------------------------------------
    add(
        HostileFile(
            "zero, empty and negative amounts",
            "bedragen.csv",
            _csv(
                [
                    HEADER,
                    _row("B-1", amount="0"),
                    _row("B-2", amount=""),
                    _row("B-3", amount="€ 0,00"),
                    _row("B-4", amount="-5"),
                    _row("B-5", amount="0,01"),
                ]
            ),
            taken=1,
            aside=4,
            check=lambda s: all(len(r[1]) == 1 for r in s["aside"]) or _fail(s),
        )
    )
    add(
        HostileFile(
            "names of 200 characters",
            "lang.csv",
            _csv(
                [
                    "Kenmerk;Signaaldatum;Voornamen;Achternaam;Postcode;Huisnummer;Bedrag",
                    f"L-1;{day};{'Maria ' * 33}Jo;{'a' * 200};1234 AB;1;10",
                    f"L-2;{day};Jo;{'b' * 201};1234 AB;1;10",
                ]
            ),
            taken=1,
            aside=1,
            check=lambda s: len(s["signals"][0][1]) == 200 or _fail(s),
        )
    )
    add(
        HostileFile(
            "unquoted delimiter",
            "scheiding.csv",
            _csv([HEADER, _row("S-1"), _row("S-2", "Jansen;Bakker"), _row("S-3")]),
            taken=2,
            aside=1,
            check=lambda s: (
                (
                    s["aside"][0][0] == 3
                    and len(s["aside"][0][1]) == 1
                    and "8 fields" in s["aside"][0][1][0]
                )
                or _fail(s)
            ),
        )
    )
    add(
        HostileFile(
            "unterminated quote",
            "aanhalingsteken.csv",
            _csv([HEADER, _row("Q-1"), _row("Q-2", '"Jansen'), _row("Q-3"), _row("Q-4")]),
            taken=3,
            aside=1,
            check=lambda s: (
                (
                    s["aside"][0][0] == 3
                    and "quote" in s["aside"][0][1][0]
                    and _surnames(s) == {"Jansen"}
                )
                or _fail(s)
            ),
        )
    )
    add(
        HostileFile(
            "a reference twice",
            "dubbel.csv",
            _csv([HEADER, _row("R-1"), _row("R-1", number="14")]),
            taken=1,
            aside=1,
        )
    )

    # --- spreadsheets -----------------------------------------------------------------------
    add(
        HostileFile(
            "xlsx with only column names",
            "kop.xlsx",
            _xlsx([HEADER.split(";")]),
            refused="no rows with signals",
        )
    )
    add(
        HostileFile(
            "xlsx with a value beyond the header",
            "extra.xlsx",
            _xlsx([HEADER.split(";"), ["X-1", day, "J.", "Mol", "1234AB", 3, 40, "over"]]),
            aside=1,
        )
    )
    add(
        HostileFile(
            "xlsx declaring 2 GB",
            "groot.xlsx",
            _declared_size(
                _xlsx([HEADER.split(";"), ["X-1", day, "J.", "Mol", "1234AB", 3, 40]]), 2**31 - 1
            ),
            refused="unpacks to",
        )
    )
    add(HostileFile("xlsx bomb", "bom.xlsx", _real_bomb(), refused="unpacks to"))
    add(
        HostileFile(
            "old xls", "oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), refused=".xls"
        )
    )
    return files


def _surnames(snap: Snapshot) -> set[str]:
    return {signal[1] for signal in snap["signals"]}


def _fail(snap: Snapshot) -> bool:
    raise AssertionError(snap)
