"""Registering a person with a lookup in the BRP, on a phone: the local Haal Centraal
stub answers, the new-person form is filled with the register's details, the worker
confirms, and the member then compares equal to the register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.households.models import Household, Involvement
from tests import factories
from tests.brp_stub import BrpStub, api_person, running
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BSN = "999993653"


@pytest.fixture
def stub(settings: Any) -> Iterator[BrpStub]:
    person = api_person(
        BSN,
        voornamen="Elif Naz",
        geslachtsnaam="Kaya",
        geboortedatum=dt.date(1988, 4, 2),
        postcode="9990AB",
        huisnummer=500,
        sinds=dt.date(2026, 1, 5),
    )
    with running(BrpStub([person], api_key="key")) as server:
        settings.BRP_API_URL = server.url
        settings.BRP_API_KEY = "key"
        settings.BRP_TIMEOUT_SECONDS = 2
        yield server


def test_registering_a_person_found_in_the_brp(
    phone_page: Any, live_server: Any, personas: Personas, stub: BrpStub
) -> None:
    household = Household.objects.create(
        address=factories.AddressFactory.create(
            neighbourhood=personas.household.address.neighbourhood,
            postcode="9990AB",
            house_number=500,
        )
    )
    Involvement.objects.create(
        household=household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/samenstelling/")
    expect(page.get_by_role("button", name="Zoek in de BRP")).to_be_visible()
    assert_accessible(page)

    brp = page.locator("form", has=page.get_by_role("button", name="Zoek in de BRP"))
    brp.get_by_label("BSN").fill("9999.93.653")
    brp.get_by_role("button", name="Zoek in de BRP").click()
    expect(page.get_by_text("Ingevuld uit de BRP")).to_be_visible()
    assert_accessible(page)

    new = page.locator("form", has=page.get_by_role("button", name="Nieuwe persoon toevoegen"))
    assert new.get_by_label("Voornamen").input_value() == "Elif Naz"
    assert new.get_by_label("Achternaam").input_value() == "Kaya"
    assert new.get_by_label("Woont hier vanaf").input_value() == "05-01-2026"
    new.get_by_label("Rol in het huishouden").select_option("head")
    new.get_by_role("button", name="Nieuwe persoon toevoegen").click()
    expect(page.get_by_text("De persoon is aan het huishouden toegevoegd.")).to_be_visible()
    assert "Elif Kaya" in page.get_by_role("region", name="Woont hier nu").inner_text()

    page.get_by_role("button", name="Vergelijk met de BRP").click()
    expect(page.get_by_text("Gelijk aan de BRP.")).to_be_visible()
    assert_accessible(page)

    person = household.memberships.get().person
    assert person.bsn == BSN
    created = AuditEvent.objects.get(action=Action.CREATE, details__change="moved_in")
    assert created.details["source"] == "BRP"
    assert (
        AuditEvent.objects.filter(action=Action.SEARCH, details__page="composition-brp").count()
        == 1
    )
