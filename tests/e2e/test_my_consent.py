"""Consent online on a phone (issue 19): the resident withdraws the consent a referral
needs, reads first what happens next, and gives and limits a consent; the worker's
consent page shows it at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD
from tests.referrals.helpers import make_world, propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_withdraws_gives_and_limits_consent_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    world = make_world(personas)
    propose(personas, world)
    factories.OrganisationFactory.create(name="Bibliotheek Lindenhoven")
    page = phone_page
    login(page, live_server, "bewoner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Uw toestemming").click()
    expect(page.get_by_role("heading", level=1, name="Mijn toestemming")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Deze toestemming intrekken").click()
    expect(page.get_by_role("heading", name="Wat er dan gebeurt")).to_be_visible()
    assert "Schuldhulpverlening" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, trek mijn toestemming in").click()
    expect(page.get_by_role("status").first).to_contain_text("ingetrokken")
    expect(page.get_by_text("Nee: u trok het in of zei nee")).to_be_visible()
    assert_accessible(page)

    give = page.locator("form", has=page.get_by_role("button", name="Toestemming geven"))
    give.get_by_label("Mijn gegevens delen met een organisatie").check()
    give.get_by_label("Met welke organisatie").select_option(label="Bibliotheek Lindenhoven")
    page.get_by_role("button", name="Toestemming geven").click()
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen")
    card = page.locator(".bk-card", has_text="Bibliotheek Lindenhoven")
    last_day = timezone.localdate() + dt.timedelta(days=60)
    card.get_by_label("Geldig tot en met").fill(last_day.strftime("%d-%m-%Y"))
    card.get_by_role("button", name="Laten stoppen op deze datum").click()
    expect(page.get_by_role("status").first).to_contain_text("tot de datum")
    expect(page.locator(".bk-card", has_text="Bibliotheek Lindenhoven")).to_contain_text(
        f"tot en met {last_day.strftime('%d-%m-%Y')}"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()

    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/toestemming/")
    current = page.get_by_role("region", name="Huidige toestemming")
    expect(current).to_contain_text("Geen toestemming (ingetrokken of geweigerd)")
    expect(current).to_contain_text("Bibliotheek Lindenhoven")
