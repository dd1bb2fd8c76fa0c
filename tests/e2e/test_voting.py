"""Participatory budgeting on a phone: a knapsack round with letter codes. The community
worker makes the codes and letters and opens the round; a resident votes online with the
code from the letter (no account); the worker enters a paper ballot of the voting day,
closes and counts; the result shows the computation, and the follow-through story the
worker writes is on the public result page. Every page passes the accessibility scan."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.voting.models import VotingRound
from tests.e2e.conftest import PHONE, assert_accessible, login
from tests.factories import PASSWORD
from tests.voting.helpers import community_worker, households, place, voting_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_knapsack_round_with_letters_online_and_paper_votes_on_a_phone(
    phone_page: Any, browser: Any, live_server: Any
) -> None:
    where = place()
    households(where.north, 2)
    households(where.south, 1)
    community_worker()
    made, plans = voting_round(where, budget=10_000)
    staff = phone_page
    login(staff, live_server, "opbouwwerker", PASSWORD)
    staff.wait_for_url(f"{live_server.url}/")
    staff.goto(f"{live_server.url}/stemmen/beheer/{made.pk}/")
    assert_accessible(staff)

    # The letters are made by a background job; its page links the one download.
    staff.get_by_role("button", name="Stemcodes maken en brieven downloaden").tap()
    staff.get_by_role("link", name="Bekijk het resultaat").tap()
    expect(staff.get_by_role("button", name="Brieven downloaden (één keer)")).to_be_visible()
    assert_accessible(staff)
    with staff.expect_download() as download:
        staff.get_by_role("button", name="Brieven downloaden (één keer)").tap()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert archive.read("brieven.pdf").startswith(b"%PDF")
    rows = list(
        csv.DictReader(
            io.StringIO(archive.read("postverwerker.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    north = [row["stemcode"] for row in rows if row["buurt"] == "Oost Noord"]
    south = [row["stemcode"] for row in rows if row["buurt"] == "Oost Zuid"]
    assert len(north) == 2 and len(south) == 1

    staff.goto(f"{live_server.url}/stemmen/beheer/{made.pk}/")
    staff.get_by_role("button", name="Stemronde openen").tap()
    staff.wait_for_selector("text=open om te stemmen")

    # A resident votes with the code from the letter, on their own phone.
    context = browser.new_context(
        locale="nl-NL", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        bypass_csp=True,
    )  # fmt: skip
    resident = context.new_page()
    resident.goto(f"{live_server.url}/stemmen/{made.pk}/")
    assert_accessible(resident)
    resident.get_by_role("link", name="Stem met uw code").tap()
    resident.wait_for_url("**/code/")
    assert_accessible(resident)
    resident.get_by_label("Uw stemcode").fill(north[0].lower())
    resident.get_by_role("button", name="Volgende: plannen kiezen").tap()
    resident.wait_for_url("**/stembiljet/")
    assert_accessible(resident)
    resident.locator(f"label[for='plan-{plans['Bankjes'].pk}']").tap()
    resident.locator(f"label[for='plan-{plans['Buurtfeest'].pk}']").tap()
    assert "€ 4.000 van € 10.000 gekozen" in resident.locator("[data-bk-total]").inner_text()
    resident.get_by_role("button", name="Volgende: uw keuze controleren").tap()
    resident.wait_for_selector("text=Controleer uw keuze")
    assert "€ 4.000 van € 10.000 gekozen" in resident.content()
    assert_accessible(resident)
    resident.get_by_role("button", name="Bevestig mijn stem").tap()
    resident.wait_for_url("**/geteld/")
    assert resident.locator("h1").inner_text() == "Uw stem is geteld"
    assert_accessible(resident)

    # The voting day: a paper ballot from the Zuid letter.
    staff.goto(f"{live_server.url}/stemmen/beheer/{made.pk}/papier/")
    assert_accessible(staff)
    staff.get_by_label("Uw stemcode").fill(south[0])
    staff.locator(f"label[for='plan-{plans['Speeltuin'].pk}']").tap()
    staff.get_by_role("button", name="Dit stembiljet tellen").tap()
    staff.wait_for_selector("text=De papieren stem is geteld")
    assert_accessible(staff)

    staff.goto(f"{live_server.url}/stemmen/beheer/{made.pk}/")
    staff.get_by_role("button", name="Stemmen sluiten").tap()
    staff.get_by_role("button", name="Stemmen tellen en uitslag publiceren").tap()
    staff.wait_for_url("**/uitslag/")
    body = staff.locator("main").inner_text()
    assert "2 bewoners stemden (1 online, 1 op papier)" in body
    assert "ja: wint" in body
    assert_accessible(staff)
    made.refresh_from_db()
    assert made.status == VotingRound.Status.COUNTED

    staff.goto(f"{live_server.url}/stemmen/beheer/{made.pk}/")
    staff.get_by_role("link", name="Het verhaal van Bankjes bijwerken").tap()
    staff.wait_for_url("**/plan/*/")
    assert_accessible(staff)
    staff.locator("label[for='id_follow_up_status_2']").tap()
    staff.get_by_label("Het verhaal voor bewoners").fill("De bankjes staan er sinds juni.")
    staff.get_by_role("button", name="Opslaan").tap()
    staff.wait_for_selector("text=De uitvoering is opgeslagen")

    resident.goto(f"{live_server.url}/stemmen/{made.pk}/uitslag/")
    result = resident.locator("main").inner_text()
    assert "De bankjes staan er sinds juni." in result
    assert "Stap voor stap" in result
    assert_accessible(resident)
    context.close()
