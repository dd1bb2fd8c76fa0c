"""The household file on a phone: a contact in three interactions, and story 1's plan with
one action in each of the four steps, agreed with the resident."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.casework.models import Contact
from tests.casework.stories import story_one_plan
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD


def no_sideways_scroll(page: Any) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_a_contact_takes_three_interactions_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    story_one_plan(personas)  # so the plan's four steps show on the file as well
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)

    interactions = 0

    def tap(locator: Any) -> None:
        nonlocal interactions
        interactions += 1
        locator.tap()

    def type_text(locator: Any, text: str) -> None:
        nonlocal interactions
        interactions += 1  # one tap into the field and typing count as one interaction
        locator.fill(text)

    tap(phone_page.get_by_label("Huisbezoek"))
    type_text(phone_page.get_by_label("Korte notitie"), "Brief van de woonstichting samen gelezen")
    tap(phone_page.get_by_role("button", name="Contact bewaren"))
    assert interactions == 3
    assert "Contact bewaard." in phone_page.get_by_role("status").first.inner_text()
    assert "Brief van de woonstichting samen gelezen" in phone_page.content()
    contact = Contact.objects.get()
    assert contact.kind == Contact.Kind.HOME_VISIT
    # The buttons are big enough to hit with a thumb (WCAG 2.5.5 target size, 44 px).
    box = phone_page.get_by_role("button", name="Contact bewaren").bounding_box()
    assert box["height"] >= 44
    assert_accessible(phone_page)


def test_story_one_plan_in_four_steps(page: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/plan/")
    assert_accessible(page)
    page.get_by_label("Doel, in de woorden van de bewoner").fill(
        "Ik wil van mijn huurachterstand af voor de zomer."
    )
    page.get_by_label("financiën").check()
    page.get_by_role("button", name="Doel bewaren").click()
    assert "Doel toegevoegd." in page.get_by_role("status").first.inner_text()

    steps = [
        ("Woonstichting bellen voor een betalingsregeling", "Mevrouw zelf", "Eigen kracht"),
        ("Post sorteren", "Haar broer", "Netwerk"),
        ("Budgetcursus in het buurthuis", "Buurthuis De Linde", "Algemene voorziening"),
        ("Begeleiding naar schuldhulp", "Schuldhulp Lindenhoven", "Maatwerkvoorziening"),
    ]
    for description, owner, step in steps:
        page.get_by_text("Actie toevoegen").first.click()
        page.get_by_label("Wat er gebeurt").fill(description)
        page.get_by_label("Wie doet het").fill(owner)
        page.get_by_label(step, exact=True).check()
        page.get_by_role("button", name="Actie bewaren").click()
        assert "Actie toegevoegd." in page.get_by_role("status").first.inner_text()

    four = page.locator(".bk-steps > li")
    assert four.count() == 4
    for index, (description, _owner, _step) in enumerate(steps):
        assert description in four.nth(index).inner_text()

    page.get_by_label("Akkoord op").fill("22-11-2026")
    page.get_by_label("Mondeling").check()
    page.get_by_role("button", name="Akkoord vastleggen").click()
    expect(page.locator("body")).to_contain_text("Met de bewoner afgesproken op 22-11-2026")
    assert_accessible(page)


def test_intake_on_a_phone_then_assigned(
    phone_page: Any, page: Any, live_server: Any, personas: Personas
) -> None:
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.get_by_role("link", name="Aanmeldingen").click()
    phone_page.get_by_role("link", name="Nieuwe aanmelding").click()
    assert_accessible(phone_page)
    phone_page.get_by_label("Een buur").check()
    phone_page.get_by_label("Wat er speelt").fill("Buurman ziet al weken niemand bij nummer 12")
    phone_page.get_by_role("button", name="Aanmelding bewaren").click()
    # Neither a name nor an address: one clear message, the sentence kept.
    error = phone_page.locator(".utrecht-form-field-error-message").first
    assert "een naam of een adres" in error.inner_text()
    assert phone_page.locator("#id_name").get_attribute("aria-invalid") == "true"
    assert phone_page.get_by_label("Wat er speelt").input_value().startswith("Buurman ziet")
    assert_accessible(phone_page)
    phone_page.locator("#id_name").fill("Mevrouw de Wit")
    phone_page.get_by_role("button", name="Aanmelding bewaren").click()
    assert "Aanmelding bewaard" in phone_page.get_by_role("status").first.inner_text()
    assert no_sideways_scroll(phone_page)

    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert "nieuwe aanmelding" in page.get_by_role("status").first.inner_text()
    page.get_by_role("link", name="Bekijk de aanmeldingen").click()
    expect(page.locator("body")).to_contain_text("Buurman ziet al weken niemand")
    assert_accessible(page)


def test_kitchen_table_conversation_page_is_accessible(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/keukentafel/")
    assert_accessible(phone_page)
    phone_page.get_by_label("Gehouden op").fill("20-11-2026")
    phone_page.get_by_label("Wat voor hen telt").fill("Dat de stroom aan blijft.")
    phone_page.get_by_label("Financiën").check()
    phone_page.get_by_role("button", name="Gesprek bewaren").click()
    assert "Gesprek bewaard." in phone_page.get_by_role("status").first.inner_text()
    assert "Dat de stroom aan blijft." in phone_page.content()
    assert no_sideways_scroll(phone_page)
    assert_accessible(phone_page)


def test_handover_page_is_accessible(page: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Overdracht").click()
    page.get_by_label("Medewerker die overdraagt").select_option(
        label=personas.worker.get_full_name()
    )
    page.get_by_role("button", name="Huishoudens tonen").click()
    page.wait_for_load_state()
    page.get_by_text(personas.household.address.street_line).first.wait_for()
    assert personas.household.address.street_line in page.content()
    assert_accessible(page)


def test_story_one_review_and_closure_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    """Story 1 after the plan: the three-month review, closure, and aftercare on the list."""
    personas.make_worker_lead()
    story_one_plan(personas)
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/plan/")
    phone_page.get_by_label("Evaluatie gehouden op").fill(timezone.localdate().strftime("%d-%m-%Y"))
    phone_page.get_by_label("Wat veranderde").fill(
        "Betalingsregeling loopt; financiën van 2 naar 4 op de zelfredzaamheidsmatrix."
    )
    phone_page.get_by_role("button", name="Evaluatie bewaren").click()
    assert "Evaluatie vastgelegd." in phone_page.get_by_role("status").first.inner_text()
    assert "financiën van 2 naar 4" in phone_page.content()
    phone_page.get_by_text("Dossier sluiten").first.click()
    phone_page.get_by_label("Doelen bereikt").check()
    phone_page.get_by_label("Wat is bereikt").fill("Huurachterstand afgelost, post op orde.")
    phone_page.get_by_role("button", name="Dossier sluiten").click()
    assert "Dossier gesloten" in phone_page.get_by_role("status").first.inner_text()
    # Aftercare is planned three months on; the closed plan says so and is read-only.
    assert "Nazorgcontact op" in phone_page.content()
    assert phone_page.get_by_text("Actie toevoegen").count() == 0
    assert_accessible(phone_page)


def test_name_only_intake_gets_its_address_and_a_duplicate_is_merged_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    from buurtkracht.casework.intake import intake_create

    personas.make_worker_lead()
    intake_create(
        source="neighbour", description="Zorgen om buurman", name="Buurman", user=personas.worker
    )
    address = personas.household.address
    # A duplicate file made anyway at the same address.
    intake_create(
        source="police",
        description="Melding geluidsoverlast",
        postcode=address.postcode,
        house_number=address.house_number,
        create_anyway=True,
        user=personas.worker,
    )
    login(phone_page, live_server, "teamleider", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/aanmeldingen/")
    phone_page.get_by_role("link", name="Adres toevoegen").click()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Adres opslaan").click()
    expect(phone_page.locator("body")).to_contain_text(
        "Vul de postcode en het huisnummer allebei in"
    )
    assert_accessible(phone_page)
    phone_page.get_by_label("Postcode").fill(address.postcode)
    phone_page.get_by_label("Huisnummer").fill(str(address.house_number))
    phone_page.get_by_role("button", name="Adres opslaan").click()
    # The file at that address is offered first.
    assert phone_page.get_by_role("link", name="Open het bestaande dossier op").count() == 1
    assert no_sideways_scroll(phone_page)

    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    phone_page.get_by_role("link", name="Een dubbel dossier samenvoegen met dit dossier").click()
    assert_accessible(phone_page)
    phone_page.get_by_role("radio").first.check()
    phone_page.get_by_label("Waarom is dit hetzelfde huishouden?").fill("Dubbel aangemaakt")
    phone_page.get_by_role("button", name="Samenvoegen in dit dossier").click()
    assert "samengevoegd" in phone_page.get_by_role("status").first.inner_text()
    assert no_sideways_scroll(phone_page)


def test_the_plan_print_link_serves_a_pdf(page: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    story_one_plan(personas)
    login(page, live_server, "wijkwerker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/plan/")
    link = page.get_by_role("link", name="Plan op papier voor thuis (pdf)")
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
