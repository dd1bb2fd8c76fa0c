"""The search box on a phone (issue 18, item 3): a worker types part of a name in the
header, reads the results and opens the file; the page passes the accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_search_box_on_a_phone(phone_page: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    person = personas.household.members.get()
    person.given_names, person.surname, person.surname_prefix = "Fatma", "Yılmaz", ""
    person.save()
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    search = page.get_by_role("search", name="Zoek een huishouden")
    expect(search).to_be_visible()
    assert_accessible(page)

    # Too short: a clear message, and what was typed stays in the box.
    search.get_by_role("searchbox", name="Zoek een huishouden").fill("y")
    search.get_by_role("button", name="Zoek", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Typ minstens 2 letters")
    expect(page.get_by_role("searchbox", name="Zoek een huishouden")).to_have_value("y")
    assert_accessible(page)

    # Part of the name, without the dotless i: found, with the ground and the members.
    page.get_by_role("searchbox", name="Zoek een huishouden").fill("yilm")
    page.get_by_role("button", name="Zoek", exact=True).click()
    results = page.get_by_role("region", name="1 huishouden gevonden")
    expect(results).to_contain_text("Fatma Yılmaz")
    expect(results).to_contain_text("U bent de regisseur")
    assert_accessible(page)

    street = personas.household.address.street_line
    results.get_by_role("link", name=street).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(street)

    # Nothing found: the way to a household of another team (two facts).
    page.get_by_role("searchbox", name="Zoek een huishouden").fill("Onbekendenaam")
    page.get_by_role("button", name="Zoek", exact=True).click()
    expect(page.locator("main")).to_contain_text("Geen huishouden gevonden")
    assert_accessible(page)
    page.get_by_role("link", name="Huishouden zoeken").last.click()
    expect(page.get_by_label("Achternaam")).to_be_visible()
