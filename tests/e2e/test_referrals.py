"""Story 1 of PRODUCT.md in the browser, on a phone: from the plan's step-4 action the
worker refers Mrs Yilmaz warmly to debt counselling, goes along to the appointment and
records that it was kept. Every page passes the accessibility scan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.referrals.models import Referral
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD
from tests.referrals.helpers import in_days, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page: Any, label: str, **fields: str) -> None:
    page.get_by_label(label, exact=True).check()
    for name, value in fields.items():
        page.get_by_label(name).fill(value)
    page.get_by_role("button", name="Stap opslaan").click()
    assert "Stap opgeslagen." in page.get_by_role("status").first.inner_text()


def test_story_one_accompanied_to_debt_counselling_and_kept(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    world = make_world(personas)
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/plan/")
    page.get_by_role(
        "link", name=re.compile(f"^Warm doorverwijzen.*{re.escape(world.action.description)}")
    ).click()
    assert_accessible(page)

    # A quick search on the social map, then choose the entry.
    page.get_by_label("Zoek op de sociale kaart").fill("schulden")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Schuldhulpverlening").click()
    assert page.get_by_text("geeft toestemming om gegevens te delen met Schuldhulp Lindenhoven")
    assert_accessible(page)
    assert page.get_by_label("Bij welke actie uit het plan").input_value() == str(world.action.pk)
    page.get_by_label("Opnieuw nagaan op").fill(in_days(3).strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Doorverwijzing opslaan").click()
    expect(
        page.get_by_role("heading", name="Doorverwijzing naar Schuldhulpverlening")
    ).to_be_visible()
    assert_accessible(page)
    assert no_sideways_scroll(page)

    later = in_days(7).strftime("%d-%m-%Y")
    _step(page, "Contact gehad", **{"Opnieuw nagaan op": later})
    _step(
        page,
        "Afspraak gemaakt",
        **{
            "Opnieuw nagaan op": later,
            "Datum van de afspraak": in_days(5).strftime("%d-%m-%Y"),
            "Tijd van de afspraak": "10:00",
        },
    )
    _step(page, "Meegegaan", **{"Opnieuw nagaan op": later, "Opmerking": "Samen naar binnen."})
    _step(page, "Afspraak nagekomen", **{"Opnieuw nagaan op": later})
    assert_accessible(page)
    assert no_sideways_scroll(page)

    referral = Referral.objects.get()
    assert referral.status == Referral.Status.KEPT
    assert list(referral.steps.values_list("to_status", flat=True)) == [
        "proposed",
        "contacted",
        "appointment_made",
        "accompanied",
        "kept",
    ]
    path = page.locator("ol.bk-timeline li")
    assert path.count() == 5
    assert "Samen naar binnen." in path.nth(3).inner_text()

    page.get_by_role("link", name="Warme doorverwijzingen").first.click()
    expect(page.get_by_text("Afspraak nagekomen").first).to_be_visible()
    assert_accessible(page)
