"""The network map in the browser (story 2 of PRODUCT.md): a worker builds a man's map on a
phone at the kitchen table, saves it as the intake version, adds the people who came in
over the year, saves the review version and compares the two; the resident sees his own
map. Every page passes the accessibility scan and works at 375 pixels wide."""

from __future__ import annotations

from typing import Any

import pytest

from buurtkracht.network.models import NetworkVersion, Tie
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_tie(page: Any, name: str, kind: str, closeness: str, extra: dict[str, bool]) -> None:
    page.get_by_role("link", name="Iemand toevoegen").tap()
    page.wait_for_selector(".bk-tie-form")
    page.get_by_label("Naam").first.fill(name)
    page.locator(f"label.bk-choice:has(input[name=kind][value={kind}])").tap()
    page.locator(f"label.bk-choice:has(input[name=closeness][value='{closeness}'])").tap()
    if extra.get("restored"):
        page.locator("summary", has_text="Meer").tap()
        page.get_by_label("Dit is een hersteld contact").check()
    page.get_by_role("button", name="Op de kaart zetten").tap()
    page.wait_for_selector(".utrecht-alert--ok")


def save_version(page: Any, label: str) -> None:
    page.locator("summary", has_text="Deze kaart opslaan als versie").tap()
    page.get_by_label("Naam van deze versie").fill(label)
    page.get_by_role("button", name="Versie opslaan").tap()
    page.wait_for_selector(".utrecht-alert--ok")


def test_story_two_a_map_grows_from_two_ties_to_seven(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    page = phone_page
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    page.get_by_role("link", name="Netwerkkaart").tap()
    page.wait_for_url(f"**/huishoudens/{personas.household.pk}/netwerk/")
    assert "Nog niemand op de kaart" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Iemand toevoegen").tap()
    page.wait_for_selector(".bk-tie-form")
    assert_accessible(page)
    page.go_back()
    page.wait_for_selector("svg.bk-network")
    add_tie(page, "Moeder", "family", "1", {})
    add_tie(page, "Sanne", "professional", "2", {})
    save_version(page, "Intake")
    assert page.locator("svg.bk-network g.bk-network__node").count() == 2
    assert_accessible(page)

    for name, kind, closeness, extra in (
        ("Ruud", "professional", "2", {}),
        ("Herstelgroep De Brug", "peer", "2", {}),
        ("Repair Café", "initiative", "2", {}),
        ("Mirjam", "family", "1", {"restored": True}),
        ("Dennis", "friend", "3", {"restored": True}),
    ):
        add_tie(page, name, kind, closeness, extra)
    save_version(page, "Evaluatie")
    assert page.locator("svg.bk-network g.bk-network__node").count() == 7
    assert page.locator("svg.bk-network .bk-network__restored").count() == 2
    assert Tie.objects.filter(restored=True).count() == 2
    assert NetworkVersion.objects.count() == 2

    page.get_by_role("link", name="Twee versies vergelijken").tap()
    page.wait_for_selector("svg.bk-network")
    assert "Van 2 naar 7 contacten" in page.locator("h2").first.inner_text()
    assert page.locator("svg.bk-network").count() == 2
    assert page.locator(".bk-compare-added li").count() == 5
    assert "Mirjam" in page.locator(".bk-compare-added").inner_text()
    assert_accessible(page)

    # Do not contact: one tap, and the map shows the sign.
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/netwerk/")
    page.locator("button[name=value]", has_text="Dennis").tap()
    page.wait_for_selector(".utrecht-alert--ok")
    assert page.locator("svg.bk-network .bk-network__do-not-contact").count() == 1
    assert Tie.objects.get(name="Dennis").do_not_contact


def test_the_resident_sees_his_own_map_and_it_prints(
    page: Any, live_server: Any, personas: Personas
) -> None:
    from tests.network.helpers import story_two

    personas.make_worker_lead()
    story_two(personas.household, personas.worker)
    login(page, live_server, "bewoner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/netwerk/")
    assert page.get_by_role("heading", name="Uw netwerkkaart").is_visible()
    assert page.get_by_role("img").first.is_visible()
    assert "Herstelgroep" in page.locator("table.bk-network-table").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Kaart afdrukken").click()
    page.wait_for_selector(".bk-network-print")
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator("svg.bk-network").is_visible()
    assert not page.locator(".bk-header").is_visible()
