"""Intakes on a phone: an intake for a household that has its lead worker is handed to
that lead worker or closed with a reason, and a merge takes the duplicate's intake along."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.casework.intake import intake_create
from buurtkracht.casework.models import Intake
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _intake(personas: Personas, description: str) -> Intake:
    address = personas.household.address
    return intake_create(
        source="neighbour",
        description=description,
        postcode=address.postcode,
        house_number=address.house_number,
        create_anyway=True,
        user=personas.team_leader,
    )


def test_merge_hands_the_duplicates_intake_to_the_lead_worker(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    intake = _intake(personas, "Buurvrouw hoort al dagen niemand")
    page = phone_page
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/aanmeldingen/")
    assert "Buurvrouw hoort al dagen niemand" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/samenvoegen/")
    assert_accessible(page)
    page.locator(f"#duplicate-{intake.household_id}").check()
    page.get_by_label("Waarom is dit hetzelfde huishouden?").fill("Aanmelding dubbel gemaakt")
    page.get_by_role("button", name="Samenvoegen in dit dossier").click()
    page.wait_for_url(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    assert "bij de regisseur gelegd" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/huishoudens/aanmeldingen/")
    assert "Buurvrouw hoort al dagen niemand" not in page.content()

    page.context.clear_cookies()
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert "Aanmeldingen bij u gelegd" in page.content()
    assert "Buurvrouw hoort al dagen niemand" in page.content()
    assert_accessible(page)


def test_hand_to_the_lead_worker_or_close_with_a_reason(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    team = personas.team_leader.team_memberships.get().team
    for description in ("Zorgen over de post", "Nog een keer gemeld"):
        Intake.objects.create(
            source=Intake.Source.NEIGHBOUR,
            description=description,
            household=personas.household,
            team=team,
            created_by=personas.team_leader,
        )
    page = phone_page
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/aanmeldingen/")
    assert page.get_by_text("Dit huishouden heeft al een regisseur").count() == 2
    assert page.get_by_role("button", name="Toewijzen").count() == 0
    assert_accessible(page)

    # Closing without a reason: the message is next to the field, the page stays usable.
    first = page.locator("li.bk-card").filter(has_text="Nog een keer gemeld")
    first.locator("summary").click()
    first.get_by_role("button", name="Aanmelding afsluiten").click()
    expect(page.locator("body")).to_contain_text("Schrijf in één zin waarom")
    assert_accessible(page)
    card = page.locator("li.bk-card").filter(has_text="Nog een keer gemeld")
    card.get_by_label("Waarom sluit u de aanmelding af?").fill("Zelfde zorg als de eerste melding")
    card.get_by_role("button", name="Aanmelding afsluiten").click()
    assert "De aanmelding is afgesloten." in page.get_by_role("status").first.inner_text()

    page.get_by_role("button", name="Bij de regisseur leggen").click()
    assert "De aanmelding ligt nu bij de regisseur" in page.get_by_role("status").first.inner_text()
    assert "Geen nieuwe aanmeldingen" in page.content()
    assert_accessible(page)
    statuses = sorted(Intake.objects.values_list("status", flat=True))
    assert statuses == [Intake.Status.CLOSED, Intake.Status.JOINED]
