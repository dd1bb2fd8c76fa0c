"""A decision under a mandate on a phone: the lead worker records a payment arrangement
over the corporation's limit (refused, the error summary says the limit and whom to ask,
what was typed is kept), then within it (recorded, on the file); the corporation's
liaison sees it on their page, another partner does not. Every page passes the
accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.accounts.models import Role
from buurtkracht.core.models import Organisation
from buurtkracht.mandates.models import MandateDecision
from tests import factories
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD
from tests.mandates.helpers import make_mandate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_decision_under_a_mandate_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    make_mandate(personas)
    person = personas.household.members.get()
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    expect(page.get_by_role("heading", name="Besluiten onder mandaat")).to_be_visible()
    page.get_by_role("link", name="Besluit onder mandaat vastleggen").click()
    expect(page.get_by_role("heading", name="Besluit onder mandaat", level=1)).to_be_visible()
    assert_accessible(page)

    # Over the limit: refused, with the limit and whom to ask; what was typed stays.
    page.get_by_label("Woonstichting Test: Betalingsregeling huurachterstand").check()
    page.get_by_label("Voor welke bewoner").select_option(str(person.pk))
    page.get_by_label("Wat heb je besloten").fill("Betalingsregeling 24 maanden")
    page.get_by_label("Bedrag in euro").fill("2400")
    page.get_by_label("Reden").fill("Huurachterstand na baanverlies")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
    expect(page.get_by_text("hoogstens € 1.500,00 per besluit").first).to_be_visible()
    expect(page.get_by_text("vraag Woonstichting Test om te besluiten").first).to_be_visible()
    assert page.get_by_label("Wat heb je besloten").input_value() == "Betalingsregeling 24 maanden"
    assert_accessible(page)
    assert not MandateDecision.objects.exists()

    # Within the limit: recorded and on the file.
    page.get_by_label("Wat heb je besloten").fill("Betalingsregeling 12 maanden")
    page.get_by_label("Bedrag in euro").fill("1200")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(
        page.get_by_text("Besluit vastgelegd onder het mandaat van Woonstichting Test")
    ).to_be_visible()
    expect(page.get_by_text("Betalingsregeling 12 maanden")).to_be_visible()
    assert_accessible(page)
    assert MandateDecision.objects.get().amount_cents == 120_000

    # The corporation's liaison sees it, with the resident's name and date of birth.
    page.context.clear_cookies()
    login(page, live_server, "partner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Besluiten onder onze mandaten").first.click()
    expect(
        page.get_by_role("heading", name="Besluiten onder onze mandaten", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Betalingsregeling 12 maanden")).to_be_visible()
    expect(page.get_by_role("rowheader", name=person.full_name)).to_be_visible()
    assert_accessible(page)

    # Another partner does not.
    energy = factories.OrganisationFactory.create(
        name="Energie Test", kind=Organisation.Kind.ENERGY_SUPPLIER
    )
    factories.UserFactory.create(
        username="energiepartner", organisation=energy, roles=[Role.PARTNER_LIAISON]
    )
    page.context.clear_cookies()
    login(page, live_server, "energiepartner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/mandaten/besluiten/")
    expect(page.get_by_text("Nog geen besluiten onder uw mandaten.")).to_be_visible()
    assert person.surname not in page.content()
    assert_accessible(page)


def test_the_report_of_a_mandate_and_beheer_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    """The team leader opens the mandates and the use of one (rounded figures); the
    functional administrator finds the mandate in Beheer, in Dutch."""
    mandate = make_mandate(personas)
    page = phone_page
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Mandaten").first.click()
    expect(page.get_by_role("heading", name="Mandaten", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Woonstichting Test: Betalingsregeling huurachterstand").click()
    expect(page.get_by_role("heading", name="Gebruik van het mandaat", level=1)).to_be_visible()
    expect(page.get_by_text("Nog geen besluiten onder dit mandaat.")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, live_server, "beheer", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/beheer/mandates/mandate/")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Betalingsregeling huurachterstand")
    expect(row).to_contain_text("€ 1.500,00")
    assert_accessible(page)
    # The change form (its breadcrumbs share the admin's colour-only links, a finding
    # for Beheer as a whole, so it is not scanned here) shows the limit in euros.
    page.goto(f"{live_server.url}/beheer/mandates/mandate/{mandate.pk}/change/")
    expect(page.get_by_label("Maximumbedrag per besluit in euro")).to_have_value("1500")
