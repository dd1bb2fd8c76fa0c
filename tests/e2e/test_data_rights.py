"""Data rights in a real browser on a phone, with the accessibility scan on every page:
the resident asks for a copy of their data and downloads it, asks for a correction; the
privacy officer sees it on their list (docs/data-rights.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_downloads_their_data_and_asks_for_a_correction(
    phone_page: Any, browser: Any, live_server: Any, personas: Personas, tmp_path: Path
) -> None:
    personas.make_worker_lead()
    person = personas.household.members.get()
    page = phone_page
    login(page, live_server, "bewoner", PASSWORD)
    page.goto(f"{live_server.url}/mijn-gegevens/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    assert_accessible(page)

    # A copy: the job's page shows how far it is and links back when it is done.
    page.get_by_role("button", name="Vraag een kopie van mijn gegevens").click()
    expect(page.get_by_role("link", name="Bekijk het resultaat")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Bekijk het resultaat").click()
    expect(page.get_by_role("link", name="Download de pdf")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download het JSON-bestand").click()
    target = tmp_path / "kopie.json"
    info.value.save_as(target)
    copy = json.loads(target.read_text())
    assert copy["sections"]["person"]["records"][0]["surname"] == person.surname
    with page.expect_download() as info:
        page.get_by_role("link", name="Download de pdf").click()
    pdf = tmp_path / "kopie.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    # A correction: a refusal keeps what was typed, then it is sent.
    page.get_by_role("link", name="Vraag om een correctie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vraag om een correctie")
    assert_accessible(page)
    page.get_by_label("Wat klopt er niet?").fill("Mijn telefoonnummer is oud")
    page.get_by_role("button", name="Verstuur mijn vraag").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Wat klopt er niet?")).to_have_value("Mijn telefoonnummer is oud")
    assert_accessible(page)
    page.get_by_label("Wat moet het zijn?").fill("06 98765432")
    page.get_by_role("button", name="Verstuur mijn vraag").click()
    expect(page.get_by_text("Uw verzoek is verstuurd.")).to_be_visible()
    assert_accessible(page)

    # The privacy officer sees both requests, opens the correction and handles it.
    officer = browser.new_context(
        locale="nl-NL", viewport={"width": 375, "height": 812}, is_mobile=True, bypass_csp=True
    ).new_page()
    login(officer, live_server, "privacy", PASSWORD)
    officer.wait_for_url(f"{live_server.url}/**")
    officer.goto(f"{live_server.url}/privacy/verzoeken/")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Verzoeken over persoonsgegevens")
    table = officer.get_by_test_id("data-requests")
    expect(table).to_contain_text("Een correctie")
    expect(table).to_contain_text("Een kopie van mijn gegevens")
    assert_accessible(officer)
    table.get_by_role("row").filter(has_text="Een correctie").get_by_role("link").click()
    expect(officer.get_by_text("Mijn telefoonnummer is oud")).to_be_visible()
    assert_accessible(officer)
    officer.get_by_label("Antwoord aan de bewoner").fill("Het nummer is aangepast.")
    officer.get_by_role("button", name="Afhandelen").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Verzoeken over persoonsgegevens")
    officer.context.close()

    page.goto(f"{live_server.url}/mijn-gegevens/")
    expect(page.get_by_test_id("my-requests")).to_contain_text("Het nummer is aangepast.")
    assert_accessible(page)


def test_the_lead_worker_answers_a_correction_on_the_file(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    from buurtkracht.households.rights import data_request_create

    personas.make_worker_lead()
    person = personas.household.members.get()
    data_request_create(
        person=person,
        user=personas.resident,
        kind="correction",
        wrong="Mijn geboortedatum",
        should_be="3 maart",
    )
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    section = page.get_by_role("region", name="Verzoeken om correctie")
    expect(section).to_be_visible()
    assert_accessible(page)
    section.get_by_role("link").first.click()
    expect(page.get_by_text("Mijn geboortedatum")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Antwoord aan de bewoner").fill("Aangepast, dank je.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Je antwoord is verstuurd")).to_be_visible()
    expect(page.get_by_role("region", name="Verzoeken om correctie")).to_contain_text("beantwoord")
