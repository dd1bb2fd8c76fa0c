"""A case conference on a phone: the team leader schedules a multidisciplinary conference
with the debt bank, puts two households on the agenda (one whose residents consented to
share with the debt bank, one without), records the decision and an action that lands in
the plan, keeps the decision as a precedent and finds it again by a word. The debt bank's
professional reads the first case by name and the second anonymised. Every page passes
the accessibility scan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.households.models import Involvement
from tests import factories
from tests.conferences.helpers import consent_debt_bank, resident
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_conference_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    consent_debt_bank(personas)
    outside = personas.outside_professional
    outside.first_name, outside.last_name = "Kim", "Bakker"
    outside.save()
    hood = personas.household.address.neighbourhood
    second = factories.MembershipFactory.create(
        household__address__neighbourhood=hood,
        household__address__street="Berkenlaan",
        person__surname="Zonderland",
    )
    Involvement.objects.create(
        household=second.household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    surname = resident(personas).surname
    page = phone_page
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")

    # Schedule.
    page.goto(f"{live_server.url}/casusoverleg/")
    expect(page.get_by_role("heading", name="Casusoverleggen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Overleg plannen").click()
    expect(page.get_by_role("heading", name="Overleg plannen", level=1)).to_be_visible()
    assert_accessible(page)
    day = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label("multidisciplinair, met professionals van buiten").check()
    page.get_by_label("Dag").fill(day.strftime("%d-%m-%Y"))
    page.get_by_label("Tijd").fill("14:00")
    page.get_by_label("Plaats").fill("Wijkcentrum De Linde")
    page.get_by_label("Kim Bakker (Kredietbank Test)").check()
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_text("Overleg gepland.")).to_be_visible()
    assert_accessible(page)

    # Two cases: one with consent for the debt bank, one without.
    for household, description in (
        (personas.household, "Casus A: alleenstaande, huurachterstand"),
        (second.household, "Casus B: gezin met 3 kinderen, schulden"),
    ):
        page.get_by_role("link", name="Casus inbrengen").click()
        expect(page.get_by_role("heading", name="Casus inbrengen", level=1)).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Huishouden", exact=True).select_option(str(household.pk))
        page.get_by_label("Geanonimiseerde omschrijving").fill(description)
        page.get_by_label("Wat moeten we besluiten?").fill("Snelle intake of budgetbeheer?")
        page.get_by_role("button", name="Op de agenda zetten").click()
        expect(page.get_by_text("De casus staat op de agenda.")).to_be_visible()
    assert_accessible(page)

    # Decide the first case and put an action in the plan.
    street_line = personas.household.address.street_line
    page.get_by_role("link", name=f"Besluit vastleggen — {street_line}").click()
    expect(page.get_by_role("heading", name="Het besluit")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wat het overleg besloot").fill("Snelle intake bij de kredietbank")
    page.get_by_label("Waarom").fill("De achterstand loopt op.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Besluit vastgelegd.")).to_be_visible()
    page.get_by_label("Wat er gebeurt").fill("Aanmelden voor de snelle intake")
    page.get_by_label("Wie doet het").fill("Kredietbank Test")
    page.get_by_label("maatwerkvoorziening").check()
    page.get_by_label("Nieuw doel, in de woorden van de bewoner").fill("Rust in de financiën")
    page.get_by_label("Leefgebied van het nieuwe doel").select_option("finances")
    page.get_by_role("button", name="In het plan zetten").click()
    expect(page.get_by_text("De actie staat in het plan van het huishouden.")).to_be_visible()
    assert_accessible(page)

    # Keep it as a precedent.
    page.get_by_label("Titel").fill("Huurachterstand en snelle intake")
    page.get_by_label("Situatie").fill("Alleenstaande met een oplopende huurachterstand.")
    page.get_by_label("Principe waarop het rust").fill("Wonen gaat voor.")
    page.get_by_label("Leefgebied", exact=True).select_option("housing")
    page.get_by_role("button", name="Bewaren als precedent").click()
    expect(page.get_by_text("Het besluit is bewaard als precedent.")).to_be_visible()
    assert_accessible(page)

    # The action is in the household's plan.
    page.get_by_role("link", name="Plan van het huishouden openen").click()
    expect(page.get_by_text("Aanmelden voor de snelle intake").first).to_be_visible()
    assert_accessible(page)

    # Found again by a word.
    page.goto(f"{live_server.url}/casusoverleg/precedenten/")
    expect(page.get_by_role("heading", name="Precedenten", level=1)).to_be_visible()
    page.get_by_label("Woord").fill("huurachterstand")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Huurachterstand en snelle intake").click()
    expect(page.get_by_role("heading", name="Huurachterstand en snelle intake")).to_be_visible()
    assert_accessible(page)

    # The debt bank: the first case by name (consent), the second anonymised.
    page.context.clear_cookies()
    login(page, live_server, outside.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Casusoverleggen")).to_be_visible()
    page.get_by_role("link", name="Al uw casusoverleggen").click()
    page.locator("main a[href*='/casusoverleg/']").first.click()
    expect(page.get_by_role("heading", name="Agenda en verslag")).to_be_visible()
    body = page.locator("main").inner_text()
    assert surname in body
    assert "Casus B: gezin met 3 kinderen, schulden" in body
    assert "Zonderland" not in body and "Berkenlaan" not in body
    assert_accessible(page)
