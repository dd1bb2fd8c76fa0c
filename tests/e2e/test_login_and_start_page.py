"""The first pages every user sees, in a real browser, on a desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_accessible(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.title().startswith("Inloggen")
    assert_accessible(page)


def test_failed_login_is_announced_and_accessible(
    page: Any, live_server: Any, personas: Personas
) -> None:
    login(page, live_server, "wijkwerker", "niet-het-wachtwoord")
    alert = page.get_by_role("alert")
    assert "gebruikersnaam" in alert.inner_text().lower()
    assert page.get_by_label("Gebruikersnaam").input_value() == "wijkwerker"
    assert_accessible(page)


def test_worker_reaches_my_work_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Mijn werk"
    assert phone_page.get_by_role("heading", name="Team Oost").is_visible()
    # Nothing sticks out sideways on a 375 px wide phone.
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert_accessible(phone_page)


def test_resident_start_page_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    login(phone_page, live_server, personas.resident.username, PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Mijn pagina"
    assert phone_page.get_by_role("link", name="Uw dossier").is_visible()
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Uw plan").click()
    phone_page.wait_for_url(f"**/huishoudens/{personas.household.pk}/plan/")
    assert_accessible(phone_page)


@pytest.mark.parametrize(
    "name",
    [
        "community_worker",
        "signal_officer",
        "partner_liaison",
        "coordinator",
        "volunteer",
        "privacy_officer",
        "policy_advisor",
        "functional_admin",
    ],
)
def test_every_roles_start_page_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas, name: str
) -> None:
    from tests.core.test_start_pages import add_work, make_world

    start = make_world(personas)  # the start-page tests' world, with work waiting
    add_work(start, 2)
    user = start.users()[name]
    login(phone_page, live_server, user.username, PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Mijn werk"
    main = phone_page.locator("main")
    assert "Hier komen straks" not in main.inner_text()
    # Below the greeting, at least one section of the role's own work.
    assert main.get_by_role("heading", level=2).count() >= 1
    assert_accessible(phone_page)


def test_start_page_switches_to_english_and_back(
    page: Any, live_server: Any, personas: Personas
) -> None:
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")


def test_anonymous_visitor_switches_language_on_public_pages(
    phone_page: Any, live_server: Any
) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/?next=/signalen/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    # The same page, now in English: the login form and where it leads after signing in.
    assert page.url == f"{live_server.url}/accounts/login/?next=/signalen/"
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/initiatieven/voorstellen/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_selector("html[lang=nl]")
    assert page.url == f"{live_server.url}/initiatieven/voorstellen/"


def test_skip_link_moves_focus_to_the_content(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_sign_out(page: Any, live_server: Any, personas: Personas) -> None:
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url


def test_the_scan_itself_finds_violations(page: Any) -> None:
    # Guards the harness: a scan that cannot fail would make every check above worthless.
    from tests.e2e.conftest import axe_violations

    page.set_content("<html><body><img src='x.png'><button></button></body></html>")
    rules = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "button-name", "html-has-lang"} <= rules
