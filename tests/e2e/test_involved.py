"""Who else is involved, in the browser on a phone: the lead worker adds the debt
counsellor from the social map to story 1's file. Sharing data is refused without the
resident's consent, with a message that says where to record it; without sharing the
professional is on the file, with what the consent register says. Every page passes the
accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.households.models import OutsideProfessional
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD
from tests.referrals.helpers import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_an_outside_professional_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    world = make_world(personas, consent=False)
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    expect(page.get_by_role("heading", name="Wie zijn betrokken")).to_be_visible()
    page.get_by_role("link", name="Professional van buiten toevoegen").click()
    expect(page.get_by_role("heading", name="Professional van buiten toevoegen")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Zoek op de sociale kaart").fill("schulden")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Schuldhulpverlening").click()
    expect(page.get_by_text("De gegevens hieronder komen uit de sociale kaart")).to_be_visible()
    assert_accessible(page)
    assert page.locator("#id_organisation_name").input_value() == "Schuldhulp Lindenhoven"
    page.get_by_label("Naam", exact=True).fill("Sanne Verbeek")
    page.get_by_label("Rol").fill("Schuldhulpverlener")
    page.get_by_label("We delen gegevens met deze professional").check()
    page.get_by_label("Van wie deelt u gegevens").select_option(str(world.person.pk))
    page.get_by_role("button", name="Toevoegen aan het dossier").click()

    # No consent: refused, nothing lost, and the message says where to record it.
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert "Toestemming in het dossier" in summary.inner_text()
    assert page.get_by_label("Naam", exact=True).input_value() == "Sanne Verbeek"
    assert not OutsideProfessional.objects.exists()
    assert_accessible(page)

    page.get_by_label("We delen gegevens met deze professional").uncheck()
    page.get_by_role("button", name="Toevoegen aan het dossier").click()
    expect(page.get_by_text("De professional staat in het dossier.")).to_be_visible()
    card = page.locator(".bk-card", has_text="Sanne Verbeek")
    expect(card).to_contain_text("Geen toestemming om te delen met Schuldhulp Lindenhoven")
    expect(card).to_contain_text("We delen geen gegevens")
    assert_accessible(page)
    assert no_sideways_scroll(page)
    professional = OutsideProfessional.objects.get()
    assert professional.socialmap_resource == world.resource.pk
    assert professional.organisation == world.organisation
