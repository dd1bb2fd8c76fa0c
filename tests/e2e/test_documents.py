"""Uploading a document on a phone: the lead worker adds a photo of a letter to the file;
a program disguised as a PDF is refused with the error summary first, then the real
letter is added, listed on the household page, downloads as an attachment and is removed
with a reason. Every page passes the accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.documents.models import Document
from tests.conftest import Personas
from tests.documents.helpers import EXE_BYTES, PDF_BYTES
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_uploading_a_document_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    expect(page.get_by_role("heading", name="Documenten")).to_be_visible()
    expect(page.get_by_text("Nog geen documenten bij dit dossier.")).to_be_visible()
    page.get_by_role("link", name="Document toevoegen").click()
    expect(page.get_by_role("heading", name="Document toevoegen", level=1)).to_be_visible()
    expect(page.get_by_text("Documenten worden niet gescand op virussen")).to_be_visible()
    assert_accessible(page)
    assert no_sideways_scroll(page)

    # A program renamed to .pdf: refused, the error summary says why, the title is kept.
    page.get_by_label("Bestand").set_input_files(
        files=[{"name": "factuur.pdf", "mimeType": "application/pdf", "buffer": EXE_BYTES}]
    )
    page.get_by_label("Titel").fill("Brief van de woonstichting")
    page.get_by_label("Brief", exact=True).check()
    page.get_by_label("Datum van het document").fill("02-11-2026")
    page.get_by_role("button", name="Document toevoegen").click()
    expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
    expect(page.get_by_text("vanbinnen geen PDF-bestand").first).to_be_visible()
    assert page.get_by_label("Titel").input_value() == "Brief van de woonstichting"
    assert_accessible(page)
    assert Document.objects.count() == 0

    # The real letter.
    page.get_by_label("Bestand").set_input_files(
        files=[{"name": "brief.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("Brief", exact=True).check()
    page.get_by_role("button", name="Document toevoegen").click()
    expect(page.get_by_text("is aan het dossier toegevoegd")).to_be_visible()
    link = page.get_by_role("link", name="Brief van de woonstichting — downloaden")
    expect(link).to_be_visible()
    expect(page.get_by_text("niet gescand op virussen (ClamAV niet ingesteld)")).to_be_visible()
    assert_accessible(page)
    assert no_sideways_scroll(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "brief.pdf"
    assert Document.objects.get().title == "Brief van de woonstichting"

    # Added to the wrong file after all: removed, with a reason.
    page.get_by_role("link", name="Verwijderen Brief van de woonstichting").click()
    expect(page.get_by_role("heading", name="Document verwijderen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Waarom moet het weg?").fill("Bij het verkeerde dossier gezet")
    page.get_by_role("button", name="Document verwijderen").click()
    expect(page.get_by_text("is uit het dossier verwijderd")).to_be_visible()
    expect(page.get_by_text("Nog geen documenten bij dit dossier.")).to_be_visible()
    assert not Document.objects.exists()
