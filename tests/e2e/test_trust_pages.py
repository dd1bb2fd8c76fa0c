"""Trust pages in a real browser with the accessibility scan: two-step login, consent,
the audit log and who-looked-at-my-file."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_security_headers import activation_link, code_for_secret, current_code
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_two_step_login_on_a_phone(phone_page: Any, live_server: Any, personas: Personas) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=personas.worker, name="app", confirmed=True)
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url("**/accounts/tweestaps/**")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Inloggen in twee stappen"
    assert_accessible(phone_page)
    phone_page.get_by_label("Code van uw app").fill("12345")
    phone_page.get_by_role("button", name="Bevestigen").click()

    # The refused form comes back from the server: wait for it, not for the click.
    expect(phone_page.locator(".utrecht-form-field-error-message")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_label("Code van uw app").fill(current_code(personas.worker))
    phone_page.get_by_role("button", name="Bevestigen").click()
    phone_page.wait_for_url(f"{live_server.url}/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Mijn werk"


def test_consent_recorded_and_withdrawn_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Toestemming").click()
    assert_accessible(phone_page)
    phone_page.get_by_label("Waarvoor").select_option(
        label="informatie te delen met een vrijwilliger"
    )
    phone_page.get_by_label("Ja, toestemming gegeven").check()
    phone_page.get_by_label("Mondeling").check()
    phone_page.get_by_role("button", name="Toestemming bewaren").click()
    # The volunteer's name is missing: one clear message, the choices are kept.
    assert "Schrijf de naam" in phone_page.locator(".utrecht-form-field-error-message").inner_text()
    assert phone_page.get_by_label("Ja, toestemming gegeven").is_checked()
    assert_accessible(phone_page)
    phone_page.get_by_label("Naam van de persoon").fill("Maatje Joke")
    phone_page.get_by_role("button", name="Toestemming bewaren").click()
    assert "Toestemming vastgelegd." in phone_page.get_by_role("status").first.inner_text()
    assert "Maatje Joke" in phone_page.content()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Toestemming intrekken").click()
    assert "ingetrokken" in phone_page.get_by_role("status").first.inner_text()


def test_privacy_officer_filters_the_log_and_the_resident_sees_who_looked(
    page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    page.get_by_role("button", name="Uitloggen").click()

    login(page, live_server, "privacy", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Logboek").click()
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam medewerker").fill("wijkwerker")
    page.get_by_label("Gebeurtenis").select_option(label="bekeken")
    page.get_by_role("button", name="Filteren").click()
    # Two looks: the household list on Mijn werk, and the household file itself.
    assert page.get_by_role("status").filter(has_text="regels").inner_text() == "2 regels"
    assert "Huishouden op" in page.get_by_role("table").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()

    login(page, live_server, "bewoner", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Wie keek in mijn dossier"
    ).click()
    expect(page.locator("body")).to_contain_text(personas.worker.get_full_name())
    assert_accessible(page)


def test_activation_and_access_requests_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    from buurtkracht.accounts.approvals import role_request
    from buurtkracht.accounts.models import User

    newcomer = User.objects.create(username="nieuwkomer", email="nieuwkomer@gemeente.example")
    role_request(user=newcomer, role="team_leader", by=personas.functional_admin)
    phone_page.goto(f"{live_server.url}{activation_link(newcomer)}")
    assert_accessible(phone_page)
    phone_page.get_by_label("Nieuw wachtwoord", exact=True).fill("Eigen-keuze-2027!")
    phone_page.get_by_label("Nieuw wachtwoord bevestigen").fill("Eigen-keuze-2027!")
    phone_page.get_by_label("Code van uw app").fill("000000")
    phone_page.get_by_role("button", name="Activeren").click()

    # The refused form comes back from the server: wait for it, not for the click.
    expect(phone_page.locator(".utrecht-form-field-error-message")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_label("Nieuw wachtwoord", exact=True).fill("Eigen-keuze-2027!")
    phone_page.get_by_label("Nieuw wachtwoord bevestigen").fill("Eigen-keuze-2027!")
    shown = phone_page.get_by_test_id("totp-secret").inner_text()
    phone_page.get_by_label("Code van uw app").fill(code_for_secret(shown))
    phone_page.get_by_role("button", name="Activeren").click()
    expect(phone_page.get_by_test_id("recovery-codes")).to_be_visible()
    assert_accessible(phone_page)

    login(phone_page, live_server, "privacy", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/privacy/toegang/")
    assert "nieuwkomer" in phone_page.get_by_test_id("pending-requests").inner_text()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Goedkeuren").click()
    assert "Goedgekeurd" in phone_page.get_by_role("status").first.inner_text()
    assert_accessible(phone_page)
