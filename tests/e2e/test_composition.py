"""A household's composition on a phone: a file with no members gets one, who then
moves out, stays in the history, and moves in with another household."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.households.models import Household, Involvement
from tests import factories
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_a_member_to_an_empty_file_and_moving_them_out(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    household = Household.objects.create(
        address=factories.AddressFactory.create(
            neighbourhood=personas.household.address.neighbourhood
        )
    )
    Involvement.objects.create(
        household=household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    today = timezone.localdate()
    moved_in = (today - dt.timedelta(days=30)).strftime("%d-%m-%Y")
    yesterday = today - dt.timedelta(days=1)
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
    assert "Er staat nog niemand als bewoner ingeschreven." in page.content()
    page.get_by_role("link", name="Samenstelling wijzigen").click()
    expect(page.get_by_role("button", name="Zoeken in het register")).to_be_visible()
    assert_accessible(page)

    search = page.locator("form", has=page.get_by_role("button", name="Zoeken in het register"))
    search.get_by_label("Achternaam").fill("Kaya")
    search.get_by_label("Geboortedatum").fill("02-04-1988")
    page.get_by_role("button", name="Zoeken in het register").click()
    expect(page.get_by_text("Niemand gevonden")).to_be_visible()
    assert_accessible(page)

    new = page.locator("form", has=page.get_by_role("button", name="Nieuwe persoon toevoegen"))
    new.get_by_label("Voornamen").fill("Elif")
    new.get_by_label("Rol in het huishouden").select_option("head")
    new.get_by_label("Woont hier vanaf").fill("31-02-2026")  # no such day
    page.get_by_role("button", name="Nieuwe persoon toevoegen").click()
    expect(page.locator(".bk-error-summary")).to_be_visible()
    assert_accessible(page)
    new = page.locator("form", has=page.get_by_role("button", name="Nieuwe persoon toevoegen"))
    assert new.get_by_label("Voornamen").input_value() == "Elif"
    new.get_by_label("Woont hier vanaf").fill(moved_in)
    page.get_by_role("button", name="Nieuwe persoon toevoegen").click()
    expect(page.get_by_text("De persoon is aan het huishouden toegevoegd.")).to_be_visible()
    members = page.get_by_role("region", name="Woont hier nu")
    assert "Elif Kaya" in members.inner_text()

    page.get_by_role("link", name=re.compile("Wijzigen Elif Kaya")).click()
    expect(page.get_by_label("Woont hier tot en met")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Woont hier tot en met").fill(yesterday.strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Vertrek vastleggen").click()
    expect(page.get_by_text("Het vertrek is vastgelegd.")).to_be_visible()
    assert "Elif Kaya" not in page.get_by_role("region", name="Woont hier nu").inner_text()
    history = page.get_by_role("region", name="Woonde hier eerder").inner_text()
    assert "Elif Kaya" in history and yesterday.strftime("%d-%m-%Y") in history
    assert_accessible(page)
    assert household.memberships.get().end_date == yesterday

    # She moves in with another household the worker leads: found in the register, added.
    other = Household.objects.create(
        address=factories.AddressFactory.create(
            neighbourhood=personas.household.address.neighbourhood
        )
    )
    Involvement.objects.create(
        household=other,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    page.goto(f"{live_server.url}/huishoudens/{other.pk}/samenstelling/")
    search = page.locator("form", has=page.get_by_role("button", name="Zoeken in het register"))
    expect(search).to_be_visible()
    search.get_by_label("Achternaam").fill("Kaya")
    search.get_by_label("Geboortedatum").fill("02-04-1988")
    page.get_by_role("button", name="Zoeken in het register").click()
    found = page.locator(".bk-card", has_text="Elif Kaya")
    expect(found).to_be_visible()
    assert_accessible(page)
    found.get_by_label("Rol in het huishouden").select_option("partner")
    found.get_by_label("Woont hier vanaf").fill(today.strftime("%d-%m-%Y"))
    found.get_by_role("button", name="Deze persoon toevoegen").click()
    expect(page.get_by_text("De persoon is aan het huishouden toegevoegd.")).to_be_visible()
    assert "Elif Kaya" in page.get_by_role("region", name="Woont hier nu").inner_text()
    assert_accessible(page)
    person = household.memberships.get().person
    joined = other.memberships.get()
    assert joined.person == person and joined.start_date == today
    assert household.memberships.get().end_date == yesterday  # the old file keeps its past
