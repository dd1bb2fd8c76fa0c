"""Household pages in a real browser: the file, search, and emergency access end to end."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_emergency_access_from_search_to_review(
    phone_page: Any, page: Any, live_server: Any, personas: Personas
) -> None:
    person = personas.household.members.get()
    # A colleague of another team, on a phone, with the resident in front of them.
    login(phone_page, live_server, "collega", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.get_by_role("link", name="Huishouden zoeken").click()
    assert_accessible(phone_page)
    phone_page.get_by_label("Achternaam").fill(person.surname)
    phone_page.get_by_label("Geboortedatum").fill("17-05-1970")
    phone_page.get_by_role("button", name="Zoeken").click()
    assert "niet betrokken" in phone_page.get_by_role("region", name="Resultaten").inner_text()
    assert_accessible(phone_page)

    phone_page.get_by_role("link", name="Noodtoegang vragen (1)").click()
    phone_page.get_by_label("Waarom hebt u dit dossier nu nodig?").fill("te kort")
    phone_page.get_by_role("button", name="Dossier openen").click()
    error = phone_page.locator(".utrecht-form-field-error-message")
    assert "minstens 20 tekens" in error.inner_text()
    field = phone_page.get_by_label("Waarom hebt u dit dossier nu nodig?")
    assert field.input_value() == "te kort"
    assert field.get_attribute("aria-invalid") == "true"
    assert_accessible(phone_page)

    field.fill("Mevrouw staat in crisis aan de balie; haar eigen team is vandaag onbereikbaar.")
    phone_page.get_by_role("button", name="Dossier openen").click()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Huishouden op")
    assert "noodtoegang" in phone_page.get_by_role("status").first.inner_text().lower()
    assert person.surname in phone_page.content()
    assert_accessible(phone_page)

    # The team leader of the household's team sees it in the review list and judges it.
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Noodtoegang").click()
    expect(page.locator("body")).to_contain_text("crisis aan de balie")
    assert_accessible(page)
    page.get_by_label("Uw oordeel").fill("Terecht gebruikt.")
    page.get_by_role("button", name="Oordeel bewaren").click()
    assert "Oordeel bewaard." in page.get_by_role("status").first.inner_text()
    assert "Terecht gebruikt." in page.content()
