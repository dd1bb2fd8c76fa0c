"""Reading partner files with signals of payment arrears: formats, values and messages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import PurePath

import openpyxl
import pytest
from django.utils import translation

from buurtkracht.signals.columns import (
    CANONICAL_FIELDS,
    HEADER_SPELLINGS,
    PARTNER_KINDS,
    REQUIRED_FIELDS,
    header_key,
    parse_amount,
    parse_date,
    split_house_number,
)
from buurtkracht.signals.parsing import (
    CleanSignal,
    SignalFileError,
    clean_row,
    read_signal_file,
)
from buurtkracht.signals.parsing import files as parsing_files

TODAY = dt.date(2026, 2, 1)

DUTCH_HEADER = (
    "Kenmerk;Soort partner;Signaaldatum;Voorletters;Tussenvoegsel;Achternaam;Geboortedatum;"
    "Straat;Huisnummer;Postcode;Woonplaats;Bedrag achterstand;Aantal termijnen"
)

VALID = {
    "partner_reference": "W-1001",
    "partner_kind": "woningcorporatie",
    "signal_date": "15-01-2026",
    "initials": "J.H.",
    "given_names": "Jan Hendrik",
    "surname_prefix": "de",
    "surname": "Vries",
    "date_of_birth": "01-02-1970",
    "street": "Lindenlaan",
    "house_number": "12",
    "house_letter": "",
    "addition": "",
    "postcode": "1234 AB",
    "town": "Testwijk",
    "amount": "€ 1.234,56",
    "missed_terms": "3",
    "end_of_supply_date": "",
}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the language of the msgids."""
    with translation.override("en"):
        yield


def read(text: str | bytes, filename: str = "signalen.csv", **kwargs: object):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_signal_file(data, filename, today=TODAY, **kwargs)  # type: ignore[arg-type]


def file_error(data: bytes, filename: str = "signalen.csv", **kwargs: object) -> str:
    with pytest.raises(SignalFileError) as caught:
        read_signal_file(data, filename, today=TODAY, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == caught.value.message
    return caught.value.message


def xlsx_bytes(*sheets: list[list[object]], titles: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, rows in enumerate(sheets):
        sheet = workbook.create_sheet(titles[index] if titles else f"Blad{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- files -------------------------------------------------------------------------------


def test_utf8_with_bom_semicolons_and_dutch_headers() -> None:
    text = (
        "\ufeff" + DUTCH_HEADER + "\r\n"
        "W-1001;Woningcorporatie;15-01-2026;J.H.;van der;Berg;01-02-1970;Lindenlaan;12A;"
        "1234 ab;Testwijk;€ 1.234,56;3\r\n"
        "W-1002;woningcorporatie;2026-01-16;M;;Çelik;;Eikenlaan;7-2;5678CD;Testwijk;450;1\r\n"
    )
    parsed = read(text)

    assert parsed.encoding == "utf-8-sig"
    assert parsed.delimiter == ";"
    assert parsed.columns["partner_reference"] == "Kenmerk"
    assert parsed.columns["amount"] == "Bedrag achterstand"
    assert parsed.ignored_columns == []
    assert [row.line for row in parsed.rows] == [2, 3]
    assert [row.errors for row in parsed.rows] == [[], []]
    assert parsed.rows[0].signal == CleanSignal(
        partner_reference="W-1001",
        partner_kind="housing",
        signal_date=dt.date(2026, 1, 15),
        initials="J.H.",
        given_names="",
        surname_prefix="van der",
        surname="Berg",
        date_of_birth=dt.date(1970, 2, 1),
        street="Lindenlaan",
        house_number=12,
        house_letter="A",
        addition="",
        postcode="1234AB",
        town="Testwijk",
        amount=Decimal("1234.56"),
        missed_terms=3,
        end_of_supply_date=None,
    )
    second = parsed.rows[1].signal
    assert second is not None
    assert (second.surname, second.initials, second.date_of_birth) == ("Çelik", "M.", None)
    assert (second.house_number, second.house_letter, second.addition) == (7, "", "2")
    assert second.amount == Decimal("450.00")


def test_windows_1252_file() -> None:
    text = (
        "Dossiernummer;Signaaldatum;Achternaam;Postcode;Huisnr.;Openstaand bedrag\n"
        "E-77;03-01-2026;Hoëvenaars;9999 ZZ;3;€ 1.020,50\n"
    )
    parsed = read(text.encode("cp1252"), default_partner_kind="energy")

    assert parsed.encoding == "windows-1252"
    signal = parsed.rows[0].signal
    assert signal is not None
    assert signal.surname == "Hoëvenaars"
    assert signal.amount == Decimal("1020.50")
    assert signal.partner_kind == "energy"
    assert parsed.rows[0].raw["amount"] == "€ 1.020,50"


def test_comma_delimited_english_headers_with_unknown_column() -> None:
    text = (
        "Reference,Partner kind,Signal date,Surname,Post code,House number,"
        "Amount in arrears,Contract type\n"
        'Z-1,health insurer,31/12/2025,Jansen,1234AB,5,"1,234.56",basis\n'
    )
    parsed = read(text)

    assert parsed.delimiter == ","
    assert parsed.ignored_columns == ["Contract type"]
    signal = parsed.rows[0].signal
    assert signal is not None
    assert signal.partner_kind == "health_insurer"
    assert signal.signal_date == dt.date(2025, 12, 31)
    assert signal.amount == Decimal("1234.56")


def test_tab_delimited_utf16_with_bom_as_excel_unicode_text() -> None:
    text = "Kenmerk\tDatum\tNaam\tPostcode\tNr\tBedrag\nW-5\t1-1-2026\tBakker\t1234 AB\t9\t12\n"
    parsed = read(text.encode("utf-16"), filename="export.txt")

    assert (parsed.encoding, parsed.delimiter) == ("utf-16", "\t")
    assert parsed.signals[0].surname == "Bakker"


def test_xlsx_with_date_cells_numbers_and_a_title_row() -> None:
    data = xlsx_bytes(
        [
            ["Signalen januari 2026"],
            [],
            [
                *("Kenmerk", "Signaaldatum", "Achternaam", "Geboortedatum", "Postcode"),
                *("Huisnummer", "Bedrag", "Termijnen", "Klantsegment"),
            ],
            [
                *("W-1", dt.datetime(2026, 1, 15), "Smit", dt.date(1980, 5, 17), "1234 AB"),
                *(12, 1234.5, 2, "particulier"),
            ],
            [None, None, None, None, None, None, None, None, None],
            ["W-2", "16-01-2026", "Visser", None, "5678 CD", "3 hs", 99.999, None, None],
        ]
    )
    parsed = read(data, filename="Signalen.XLSX")

    assert (parsed.encoding, parsed.delimiter, parsed.sheet) == ("", None, "Blad1")
    assert parsed.header_line == 3
    assert parsed.ignored_columns == ["Klantsegment"]
    assert [row.line for row in parsed.rows] == [4, 6]
    first, second = parsed.signals
    assert first.signal_date == dt.date(2026, 1, 15)
    assert first.date_of_birth == dt.date(1980, 5, 17)
    assert (first.house_number, first.amount, first.missed_terms) == (12, Decimal("1234.50"), 2)
    assert second.amount == Decimal("100.00")
    assert (second.house_number, second.addition) == (3, "HS")
    # What the upload page shows for correction reads back to the same signal.
    assert parsed.rows[0].raw["signal_date"] == "15-01-2026"
    for row in parsed.rows:
        assert clean_row(row.raw, today=TODAY) == (row.signal, [])


def test_xlsx_reads_the_first_sheet_with_column_names() -> None:
    data = xlsx_bytes(
        [["Toelichting"], ["Dit bestand bevat de signalen van januari."]],
        [
            ["Kenmerk", "Datum", "Naam", "Postcode", "Huisnr", "Bedrag"],
            ["K-1", "2-1-2026", "Mol", "1234AB", 1, 10],
        ],
        titles=("Uitleg", "Signalen"),
    )
    parsed = read(data, filename="signalen.xlsx")

    assert parsed.sheet == "Signalen"
    assert parsed.signals[0].surname == "Mol"


def test_csv_named_file_that_is_really_xlsx_is_read_as_xlsx() -> None:
    data = xlsx_bytes(
        [
            ["Kenmerk", "Datum", "Naam", "Postcode", "Huisnr", "Bedrag"],
            ["K-1", "2-1-2026", "Mol", "1234AB", 1, 10],
        ]
    )

    assert read(data, filename="signalen.csv").signals[0].partner_reference == "K-1"


def test_blank_lines_stray_spaces_and_repeated_header_are_skipped() -> None:
    text = (
        "\n"
        " Kenmerk ; signaal_datum ;ACHTERNAAM;Post-code;Huis nr; Bedrag\n"
        "\n"
        ";;;;\n"
        "  W-1 ;\u00a015-01-2026 ;  de  Boer ; 1234 AB ;  4 ; 5\n"
        "Kenmerk;Signaaldatum;Achternaam;Postcode;Huisnr;Bedrag\n"
        "   \n"
        "W-2;15-01-2026;Kok;1234 AB;6;5\n"
    )
    parsed = read(text)

    assert parsed.header_line == 2
    assert [row.line for row in parsed.rows] == [5, 8]
    assert parsed.rows[0].raw["partner_reference"] == "W-1"
    assert parsed.rows[0].raw["signal_date"] == "15-01-2026"
    assert [s.surname for s in parsed.signals] == ["de Boer", "Kok"]


def test_quoted_value_over_two_lines_keeps_line_numbers() -> None:
    text = (
        "Kenmerk;Datum;Naam;Postcode;Huisnr;Straat;Bedrag\n"
        'W-1;1-1-2026;Mol;1234AB;1;"Lange\nweg";5\n'
        "W-2;1-1-2026;Kok;1234AB;2;Kort;5\n"
    )
    parsed = read(text)

    assert [row.line for row in parsed.rows] == [2, 4]
    assert parsed.signals[0].street == "Lange weg"


def test_excel_sep_line_sets_the_delimiter() -> None:
    parsed = read("sep=,\nKenmerk,Datum,Naam,Postcode,Huisnr,Bedrag\nW-1,1-1-2026,Mol,1234AB,1,5\n")

    assert parsed.delimiter == ","
    assert parsed.header_line == 2


def test_the_preferred_spelling_wins_when_two_columns_name_one_field() -> None:
    parsed = read(
        "Kenmerk;Naam;Achternaam;Datum;Postcode;Huisnr;Bedrag\n"
        "W-1;J. de Vries;Vries;1-1-2026;1234AB;1;5\n"
    )

    assert parsed.columns["surname"] == "Achternaam"
    assert parsed.ignored_columns == ["Naam"]
    assert parsed.signals[0].surname == "Vries"


def test_progress_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing_files, "PROGRESS_EVERY", 2)
    lines = [f"W-{n};1-1-2026;Mol;1234AB;{n};5" for n in range(1, 6)]
    calls: list[tuple[int, int]] = []

    read(
        "Kenmerk;Datum;Naam;Postcode;Huisnr;Bedrag\n" + "\n".join(lines),
        progress=lambda *a: calls.append(a),
    )

    assert [done for done, _ in calls] == [2, 4, 5]
    assert all(done <= total for done, total in calls)
    assert calls[-1] == (5, 5)


# --- whole-file errors ---------------------------------------------------------------------


def test_missing_required_columns_are_named_with_their_accepted_spellings() -> None:
    message = file_error(b"Kenmerk;Achternaam;Woonplaats\nW-1;Mol;Testwijk\n")

    assert "Signaaldatum" in message
    assert "Postcode (accepted names: Postcode, Post code, Zip" in message
    assert "Huisnummer (accepted names: Huisnummer, Huisnr" in message
    assert "Kenmerk (" not in message
    assert "Achternaam (" not in message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n \n", b"\n;;;\n;;\n"])
def test_empty_file(data: bytes) -> None:
    assert "The file is empty" in file_error(data)


def test_empty_xlsx() -> None:
    assert "The file is empty" in file_error(xlsx_bytes([]), "leeg.xlsx")


def test_no_header_row() -> None:
    message = file_error(b"W-1;1-1-2026;Mol;1234AB;1\nW-2;1-1-2026;Kok;1234AB;2\n")

    assert "No row with column names" in message
    assert "Kenmerk, Signaaldatum, Achternaam, Postcode, Huisnummer" in message


def test_too_large() -> None:
    message = file_error(b"Kenmerk;Datum\n" + b"x" * 3 * 1024 * 1024, max_bytes=2 * 1024 * 1024)

    assert "The file is 3 MB. The limit is 2 MB." in message


def test_too_many_rows() -> None:
    text = "Kenmerk;Datum;Naam;Postcode;Huisnr;Bedrag\n" + "".join(
        f"W-{n};1-1-2026;Mol;1234AB;1;5\n" for n in range(3)
    )

    assert "more than 2 rows" in file_error(text.encode(), max_rows=2)
    assert len(read(text, max_rows=3).rows) == 3


@pytest.mark.parametrize(
    "data",
    [b"not a zip file at all", b"PK\x03\x04 broken", b"zip without a workbook"],
)
def test_unreadable_xlsx(data: bytes) -> None:
    if data.startswith(b"zip"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        data = buffer.getvalue()

    assert "The Excel file cannot be opened" in file_error(data, "signalen.xlsx")


def test_old_excel_or_password_protected_file() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

    assert "old Excel file (.xls)" in file_error(data, "signalen.xls")


@pytest.mark.parametrize("filename", ["signalen.pdf", "signalen.ods", "signalen.json"])
def test_unsupported_extension(filename: str) -> None:
    message = file_error(b"Kenmerk;Datum\n", filename)

    assert f"Files of type “{PurePath(filename).suffix}” cannot be read" in message


@pytest.mark.parametrize(
    "data",
    [
        "Kenmerk;Datum;Naam;Postcode;Huisnr\n".encode("utf-16-le"),  # no byte-order mark
        bytes(range(256)) * 20,
        b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200,
    ],
)
def test_undecodable_text(data: bytes) -> None:
    assert "characters that cannot be read" in file_error(data)


def test_an_unclosed_quote_of_a_huge_value_sets_its_line_aside() -> None:
    text = (
        "Kenmerk;Datum;Naam;Postcode;Huisnr;Bedrag\nW-1;1-1-2026;Mol;1234AB;1;5\n"
        'W-2;"' + "x" * 200_000 + "\nW-3;1-1-2026;Kok;1234AB;2;5\n"
    )
    rows = read(text).rows

    assert [(row.line, row.signal is not None) for row in rows] == [
        (2, True),
        (3, False),
        (4, True),
    ]
    assert 'quote mark (") that is not closed' in rows[1].errors[0].message


def test_a_wrong_default_partner_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="default_partner_kind"):
        clean_row(VALID, today=TODAY, default_partner_kind="woningcorporatie")


# --- rows ----------------------------------------------------------------------------------


def test_valid_row_from_a_form_or_the_api() -> None:
    signal, errors = clean_row(
        {**VALID, "signal_date": dt.date(2026, 1, 15), "amount": 12.5, "house_number": 12},
        today=TODAY,
    )

    assert errors == []
    assert signal is not None
    assert (signal.signal_date, signal.amount, signal.house_number) == (
        dt.date(2026, 1, 15),
        Decimal("12.50"),
        12,
    )
    assert (signal.partner_kind, signal.initials, signal.postcode) == ("housing", "J.H.", "1234AB")


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"postcode": "12345"}, "postcode", "“12345” is not a Dutch postcode"),
        ({"postcode": "1234 SA"}, "postcode", "does not exist"),
        ({"postcode": ""}, "postcode", "The postcode is missing"),
        ({"surname": ""}, "surname", "The surname is missing"),
        ({"surname": "12345"}, "surname", "“12345” is not a name: it has no letters"),
        ({"given_names": "--"}, "given_names", "it has no letters"),
        ({"surname": "x" * 201}, "surname", "longer than 200 characters"),
        ({"amount": ""}, "amount", "The amount in arrears is missing"),
        ({"amount": "0,00"}, "amount", "nothing is in arrears"),
        ({"amount": "€ 0"}, "amount", "nothing is in arrears"),
        ({"initials": "J1"}, "initials", "Initials “J1” are not valid"),
        ({"surname_prefix": "v4n"}, "surname_prefix", "is not a surname prefix"),
        ({"partner_reference": " "}, "partner_reference", "The reference is missing"),
        ({"partner_kind": "bakkerij"}, "partner_kind", "Partner kind “bakkerij” is not known"),
        ({"signal_date": ""}, "signal_date", "The signal date is missing"),
        ({"signal_date": "32-01-2026"}, "signal_date", "“32-01-2026” cannot be read"),
        ({"signal_date": "15-01-26"}, "signal_date", "“15-01-26” cannot be read"),
        ({"signal_date": "02-02-2026"}, "signal_date", "02-02-2026 is in the future"),
        ({"end_of_supply_date": "volgende week"}, "end_of_supply_date", "cannot be read"),
        ({"amount": "-12,50"}, "amount", "-12,50 is below zero"),
        ({"amount": "veel"}, "amount", "The amount “veel” cannot be read"),
        ({"amount": "1.234.56"}, "amount", "cannot be read"),
        ({"missed_terms": "-1"}, "missed_terms", "cannot be below zero"),
        ({"missed_terms": "drie"}, "missed_terms", "“drie” cannot be read"),
        ({"missed_terms": "9" * 5000}, "missed_terms", "cannot be read"),
        ({"house_number": ""}, "house_number", "The house number is missing"),
        ({"house_number": "twaalf"}, "house_number", "“twaalf” cannot be read"),
        ({"house_number": "0"}, "house_number", "“0” cannot be read"),
        ({"house_number": "12 achter"}, "house_number", "cannot be read"),
        ({"house_number": "1" * 5000}, "house_number", "cannot be read"),
        ({"house_number": "123456"}, "house_number", "cannot be read"),
        ({"house_number": "12A", "house_letter": "B"}, "house_number", "does not match"),
        ({"house_number": "12-2", "addition": "3"}, "house_number", "does not match"),
        ({"house_letter": "AB"}, "house_letter", "must be a single letter"),
        ({"addition": "ACHTER"}, "addition", "at most 4 letters or digits"),
    ],
)
def test_row_errors(changes: dict[str, str], field: str, fragment: str) -> None:
    signal, errors = clean_row({**VALID, **changes}, today=TODAY)

    assert signal is None
    assert [error.field for error in errors] == [field]
    assert fragment in errors[0].message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("30-02-1970", "“30-02-1970” cannot be read"),
        ("01-01-2027", "is in the future"),
        ("31-01-1905", "over 120 years old"),
        ("01-01-1900", "01-01-1900 is a placeholder"),
    ],
)
def test_a_wrong_date_of_birth_is_set_aside_not_the_row(value: str, fragment: str) -> None:
    signal, errors = clean_row({**VALID, "date_of_birth": value}, today=TODAY)

    assert errors == []
    assert signal is not None
    assert signal.date_of_birth is None
    [warning] = signal.warnings
    assert warning.field == "date_of_birth"
    assert fragment in warning.message
    assert "matched without it" in warning.message


def test_messages_are_in_the_language_of_the_request() -> None:
    with translation.override("nl"):
        _, errors = clean_row({**VALID, "postcode": "12345"}, today=TODAY)

    assert "geen Nederlandse postcode" in errors[0].message


@pytest.mark.parametrize(
    "data",
    [
        b"Kenmerk;Datum;Naam;Postcode;Huisnr;Bedrag\n\n",
        b"Titel\nKenmerk;Datum;Naam;Postcode;Huisnr;Bedrag\n;;;;;\nKenmerk;Datum;Naam;Postcode;Huisnr;Bedrag",
    ],
)
def test_a_file_with_only_column_names_is_refused(data: bytes) -> None:
    message = file_error(data)

    assert "but no rows with signals below it" in message


def test_an_xlsx_with_only_column_names_is_refused() -> None:
    data = xlsx_bytes([["Kenmerk", "Datum", "Naam", "Postcode", "Huisnr", "Bedrag"]])

    assert "no rows with signals" in file_error(data, "leeg.xlsx")


def test_a_row_with_errors_keeps_its_raw_values() -> None:
    parsed = read(DUTCH_HEADER + "\nW-1;energie;15-01-2026;J;;Mol;;Laan;12;12345;Testwijk;€ 5;1\n")

    row = parsed.rows[0]
    assert row.signal is None
    assert [error.field for error in row.errors] == ["postcode"]
    assert row.raw["postcode"] == "12345"
    assert row.raw["amount"] == "€ 5"
    assert set(row.raw) == set(CANONICAL_FIELDS)


def test_duplicate_reference_within_the_file_names_the_first_line() -> None:
    text = (
        "Kenmerk;Soort partner;Datum;Naam;Postcode;Huisnr;Bedrag\n"
        "W-1;water;1-1-2026;Mol;1234AB;1;5\n"
        "W-2;water;1-1-2026;Kok;1234AB;2;5\n"
        "W-1;drinkwater;1-1-2026;Mol;12345;1;5\n"
        "W-1;energie;1-1-2026;Mol;1234AB;1;5\n"
    )
    rows = read(text).rows

    assert rows[0].errors == [] and rows[1].errors == [] and rows[3].errors == []
    assert rows[2].signal is None
    assert [error.field for error in rows[2].errors] == ["postcode", "partner_reference"]
    assert rows[2].errors[1].message.startswith("Reference “W-1” is already used on line 2.")


def test_names_as_partner_systems_hold_them_are_accepted() -> None:
    signal, errors = clean_row(
        {**VALID, "surname": "Schildersbedrijf J. de Vries", "surname_prefix": "V.D."},
        today=TODAY,
    )

    assert errors == [] and signal is not None
    assert (signal.surname, signal.surname_prefix) == ("Schildersbedrijf J. de Vries", "v.d.")


def test_partner_kinds_have_many_spellings() -> None:
    for spelling, kind in [
        ("Woningcorporatie", "housing"),
        ("housing corporation", "housing"),
        ("Energieleverancier", "energy"),
        ("DRINKWATER", "water"),
        ("zorg-verzekeraar", "health_insurer"),
        ("", ""),
    ]:
        signal, errors = clean_row({**VALID, "partner_kind": spelling}, today=TODAY)
        assert errors == [] and signal is not None
        assert signal.partner_kind == kind


# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (12, "", "")),
        ("12A", (12, "A", "")),
        ("12-a", (12, "A", "")),
        ("12 a", (12, "A", "")),
        ("12-2", (12, "", "2")),
        ("12 bis", (12, "", "BIS")),
        ("12 hs", (12, "", "HS")),
        ("12A-2", (12, "A", "2")),
        ("12 b 1", (12, "B", "1")),
        ("12/3", (12, "", "3")),
        ("twaalf", None),
        ("12 achter", None),
        ("12,5", None),
    ],
)
def test_split_house_number(text: str, expected: tuple[int, str, str] | None) -> None:
    assert split_house_number(text) == expected


def test_house_letter_and_addition_columns_are_used_when_given() -> None:
    signal, errors = clean_row(
        {**VALID, "house_number": "12", "house_letter": "b", "addition": "2"}, today=TODAY
    )

    assert errors == [] and signal is not None
    assert (signal.house_number, signal.house_letter, signal.addition) == (12, "B", "2")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 1.234,56", "1234.56"),
        ("€1.234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234.567,8", "1234567.80"),
        ("EUR 1234", "1234.00"),
        ("1234 EUR", "1234.00"),
        ("€ 12,-", "12.00"),
        ("1.234", "1234.00"),
        ("0,5", "0.50"),
        ("1 234,56", "1234.56"),
        ("-12,50", "-12.50"),
        ("12,50-", "-12.50"),
        ("12,345", "12345.00"),
        ("1.234.56", None),
        ("12,3,4", None),
        ("abc", None),
        ("€", None),
        ("9" * 40, None),
        ("999.999.999.999,99", "999999999999.99"),
    ],
)
def test_parse_amount(text: str, expected: str | None) -> None:
    assert parse_amount(text) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31-01-2026", dt.date(2026, 1, 31)),
        ("1-2-2026", dt.date(2026, 2, 1)),
        ("31/01/2026", dt.date(2026, 1, 31)),
        ("31.01.2026", dt.date(2026, 1, 31)),
        ("2026-01-31", dt.date(2026, 1, 31)),
        ("2026-01-31 00:00:00", dt.date(2026, 1, 31)),
        ("2026-01-31T10:15:00Z", dt.date(2026, 1, 31)),
        ("20260131", dt.date(2026, 1, 31)),
        ("46053", dt.date(2026, 1, 31)),
        ("31-01/2026", None),
        ("31-13-2026", None),
        ("29-02-2025", None),
        ("2026/01/31", None),
        ("morgen", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_header_matching_ignores_case_spaces_dots_and_brackets() -> None:
    assert header_key("\ufeff Geb. datum ") == header_key("geb_datum") == "gebdatum"
    assert header_key("Bedrag achterstand (EUR) *") == header_key("BEDRAG-ACHTERSTAND")


def test_column_table_is_complete() -> None:
    assert set(HEADER_SPELLINGS) == set(CANONICAL_FIELDS)
    assert set(REQUIRED_FIELDS) <= set(CANONICAL_FIELDS)
    assert set(PARTNER_KINDS) == {"housing", "energy", "water", "health_insurer"}


# --- issue 17, item 6: spellings, mixed encodings, rows that are not one record ----------


@pytest.mark.parametrize(
    ("spelling", "field"),
    [
        ("Arrears amount", "amount"),
        ("Number of terms", "missed_terms"),
        ("Voorl.", "initials"),
        ("Tussenv.", "surname_prefix"),
        ("Huisnr. toev.", "addition"),
        ("Huisnr toev", "addition"),
        ("HUISNR.TOEV.", "addition"),
        ("Einddatum", "end_of_supply_date"),
        ("Achtern.", "surname"),
        ("Geb. dat.", "date_of_birth"),
        ("Aant. termijnen", "missed_terms"),
        ("Outstanding amount", "amount"),
    ],
)
def test_english_and_abbreviated_headers_are_recognised(spelling: str, field: str) -> None:
    from buurtkracht.signals.columns import HEADER_LOOKUP

    assert HEADER_LOOKUP[header_key(spelling)][0] == field


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("Bedr. achterst.", "amount"),
        ("Huisnr toevoegsel", "addition"),
        ("Achternm", "surname"),
        ("Postcd", "postcode"),
        ("Aant. maanden achterst.", "missed_terms"),
    ],
)
def test_an_unknown_column_is_named_with_what_it_might_mean(column: str, field: str) -> None:
    from buurtkracht.signals.parsing.headers import suggest_fields

    assert suggest_fields(column)[0] == field
    message = file_error(f"{DUTCH_HEADER};{column}\nW-1\n".encode())
    assert f"“{column}” (perhaps: {HEADER_SPELLINGS[field][0]}" in message
    assert message.startswith("Nothing has been stored")


def test_unknown_columns_may_be_left_out_when_the_caller_says_so() -> None:
    text = DUTCH_HEADER + ";Xyzzy\nW-1;energie;15-01-2026;J;;Mol;;Laan;12;1234AB;Testwijk;5;1;x\n"

    assert "“Xyzzy” (not a known column)" in file_error(text.encode())
    parsed = read(text, allow_unknown_columns=True)
    assert parsed.unknown_columns == ["Xyzzy"] and parsed.ignored_columns == ["Xyzzy"]
    assert parsed.signals[0].amount == Decimal("5.00")


def test_a_utf8_file_with_one_windows_1252_line_is_read_per_line() -> None:
    lines = [DUTCH_HEADER] + [
        f"W-{n};;15-01-2026;J;;Hoëvenaars;;Laan;{n};1234AB;Testwijk;5;1" for n in range(1, 6)
    ]
    data = "\n".join(lines[:3]).encode() + b"\n"
    data += "W-9;;15-01-2026;J;;Çelik;;Laan;9;1234AB;Testwijk;5;1\n".encode("cp1252")
    data += "\n".join(lines[3:]).encode() + b"\n"

    parsed = read(data)

    assert parsed.encoding == "utf-8"
    assert [s.surname for s in parsed.signals] == ["Hoëvenaars"] * 2 + ["Çelik"] + [
        "Hoëvenaars"
    ] * 3
    assert parsed.notes == [
        "The file is UTF-8, but 1 line(s) were written as Windows-1252 (lines 4). Each line "
        "was read in its own encoding; check the names on those lines."
    ]


def test_a_row_with_an_unquoted_delimiter_gets_one_message() -> None:
    parsed = read(
        "Kenmerk;Datum;Naam;Postcode;Huisnr;Bedrag\n"
        "W-1;1-1-2026;Mol;1234AB;1;5\n"
        "W-2;1-1-2026;Mol;Kok;1234AB;2;5\n"
        "W-3;1-1-2026;Kok\n"
    )

    first, shifted, short = parsed.rows
    assert first.signal is not None
    assert [e.message[:62] for e in shifted.errors] == [
        "This line has 7 fields, but the row with column names has 6. A"
    ]
    assert [e.message[:37] for e in short.errors] == ["This line has 3 fields, but the row w"]


def test_an_unterminated_quote_does_not_swallow_the_next_records() -> None:
    parsed = read(
        "Kenmerk;Datum;Naam;Postcode;Huisnr;Bedrag\n"
        'W-1;1-1-2026;"Mol;1234AB;1;5\n'
        "W-2;1-1-2026;Kok;1234AB;2;5\n"
        "W-3;1-1-2026;Bos;1234AB;3;5\n"
    )

    assert [(row.line, row.signal is not None) for row in parsed.rows] == [
        (2, False),
        (3, True),
        (4, True),
    ]
    assert parsed.rows[0].raw["surname"] == '"Mol'  # as written, to correct
    assert [s.surname for s in parsed.signals] == ["Kok", "Bos"]


def test_an_xlsx_declaring_an_absurd_unpacked_size_is_not_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = xlsx_bytes([["Kenmerk", "Datum", "Naam", "Postcode", "Huisnr", "Bedrag"]])
    monkeypatch.setattr(parsing_files, "MAX_UNPACKED", 1000)
    opened: list[object] = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))

    assert "says it unpacks to" in file_error(data, "signalen.xlsx")
    assert opened == []


def test_names_of_200_characters_are_taken() -> None:
    signal, errors = clean_row(
        {**VALID, "surname": "a" * 200, "given_names": "b" * 200}, today=TODAY
    )

    assert errors == [] and signal is not None
    assert (len(signal.surname), len(signal.given_names)) == (200, 200)
