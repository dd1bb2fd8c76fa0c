"""Characters that are not text in a partner's file (issue 15, finding 7): a NUL, another
control character or half of a surrogate pair in a cell sets that row aside with a clear
message; the other rows are taken in, and the row can be stored, shown and corrected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buurtkracht.signals.models import Delivery, RejectedRow, Signal
from buurtkracht.signals.parsing import SignalFileError, clean_row, read_signal_file
from tests.conftest import Personas
from tests.signals.test_pipeline import HEADER, _resident, _row

TODAY = dt.date(2026, 2, 1)
LINES = (
    "Kenmerk;Signaaldatum;Achternaam;Voorletters;Postcode;Huisnummer;Bedrag\r\n"
    "W-1;15-01-2026;Vries;J.;1234 AB;12;80\r\n"
    "W-2;15-01-2026;{surname};J.;1234 AB;14;80\r\n"
    "W-3;15-01-2026;Mol;K.;1234 AB;16;80\r\n"
)


@pytest.mark.parametrize(
    "surname",
    [b"Jan\x00sen", b"Jan\x1bsen", b"Jan\xed\xa0\x80sen", b"Jan\xed\xbf\xbfsen", "Jan\ufffdsen"],
    ids=["NUL", "escape", "high surrogate", "low surrogate", "replacement character"],
)
def test_a_cell_that_is_not_text_sets_its_row_aside(surname: bytes | str) -> None:
    raw = surname if isinstance(surname, bytes) else surname.encode()
    data = LINES.encode().replace(b"{surname}", raw)
    with translation.override("en"):
        parsed = read_signal_file(data, "signalen.csv", today=TODAY)
    assert parsed.encoding == "utf-8"  # not mistaken for Windows-1252 or UTF-16
    good, bad, also_good = parsed.rows
    assert good.signal is not None and also_good.signal is not None
    assert bad.signal is None
    assert [(e.field, e.message[:47]) for e in bad.errors] == [
        ("surname", "This value holds a character that cannot be rea")
    ]
    assert bad.raw["surname"] == "Jan\ufffdsen"  # storable, and shown as �


def test_a_utf16_file_without_byte_order_mark_is_still_refused_whole() -> None:
    data = LINES.format(surname="Mol").encode("utf-16-le")
    with translation.override("en"), pytest.raises(SignalFileError, match="cannot be read"):
        read_signal_file(data, "signalen.csv", today=TODAY)


def test_a_row_from_a_form_gets_the_same_message() -> None:
    row = {"partner_reference": "W-1", "signal_date": "15-01-2026", "surname": "Vr\x00ies"}
    row |= {"postcode": "1234 AB", "house_number": "\ud80012", "amount": "80"}
    with translation.override("en"):
        signal, errors = clean_row(row, today=TODAY)
    assert signal is None
    assert sorted(e.field for e in errors) == ["house_number", "surname"]
    assert all("cannot be read" in e.message for e in errors)


@pytest.mark.django_db
def test_an_upload_with_a_nul_and_a_surrogate_keeps_the_valid_rows(personas: Personas) -> None:
    person = _resident(personas)
    address: Any = personas.household.address
    content = (
        HEADER
        + _row("W-1", person, address)
        + _row("W-2", person, address, ref="W-2", surname="Jan\x00sen")
        + _row("W-3", person, address, ref="W-3", town="Lind\ud800en")
    )
    client = Client()
    client.force_login(personas.partner_liaison)
    upload = SimpleUploadedFile(
        "signalen.csv", content.encode("utf-8", "surrogatepass"), content_type="text/csv"
    )
    response = client.post(reverse("signals:deliver"), {"file": upload, "upload_id": "u-1"})
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.rows_total, delivery.rows_valid, delivery.rows_rejected) == (3, 1, 2)
    assert Signal.objects.get().partner_reference == "W-1"
    stored = {row.raw["partner_reference"]: row for row in RejectedRow.objects.all()}
    assert stored["W-2"].raw["surname"] == "Jan\ufffdsen"
    assert stored["W-3"].raw["town"] == "Lind\ufffden"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "niet gelezen" in page.content.decode()
