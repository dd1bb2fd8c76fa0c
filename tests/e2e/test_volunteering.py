"""A volunteer request matched, in the browser on a phone: the worker asks from the
household file, the coordinator matches (first refused for want of consent), the volunteer
sees only what the resident agreed to share and records a visit. Every page passes the
accessibility scan and does not scroll sideways."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import expect

from buurtkracht.accounts.models import Role
from buurtkracht.volunteering.models import Visit, VolunteerRequest
from tests import factories
from tests.conftest import Personas
from tests.e2e.conftest import PHONE, assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD
from tests.volunteering.helpers import consent_for, resident_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def phone_as(browser: Any, live_server: Any, username: str) -> Iterator[Any]:
    context = browser.new_context(
        locale="nl-NL",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    page = context.new_page()
    login(page, live_server, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    try:
        yield page
    finally:
        context.close()


def check(page: Any) -> None:
    assert_accessible(page)
    assert no_sideways_scroll(page)


def test_a_volunteer_request_matched(browser: Any, live_server: Any, personas: Personas) -> None:
    personas.make_worker_lead()
    person = resident_of(personas)
    household = personas.household
    factories.UserFactory.create(
        username="coordinator",
        first_name="Carla",
        last_name="Kok",
        roles=[Role.VOLUNTEER_COORDINATOR],
    )

    # The worker asks from the household file.
    with phone_as(browser, live_server, "wijkwerker") as page:
        page.goto(f"{live_server.url}/huishoudens/{household.pk}/")
        page.get_by_role("link", name="Vrijwilligers", exact=True).click()
        check(page)
        page.get_by_role("link", name="Vrijwilliger vragen").click()
        expect(page.get_by_label("Maatje")).to_be_visible()
        check(page)
        page.get_by_label("Maatje").check()
        page.get_by_label("Wat er gevraagd wordt").fill(
            "Samen boodschappen doen op donderdag; ze houdt van wandelen."
        )
        page.get_by_label(
            "De bewoner vindt het goed dat de vrijwilliger het telefoonnummer weet"
        ).check()
        page.get_by_role("button", name="Hulpvraag versturen").click()
        assert page.get_by_text(
            "Hulpvraag verstuurd naar de vrijwilligerscoördinator."
        ).is_visible()
        assert page.get_by_text("Wacht op een vrijwilliger", exact=True).is_visible()
        check(page)
    vrequest = VolunteerRequest.objects.get()

    # The coordinator picks a volunteer; the resident's consent is not there yet.
    with phone_as(browser, live_server, "coordinator") as page:
        page.get_by_role("link", name="Bekijk de hulpvragen").click()
        check(page)
        page.get_by_role("link", name="Maatje · Fatma").click()
        expect(page.get_by_label("Vrijwilliger", exact=True)).to_be_visible()
        assert page.get_by_text(person.surname).count() == 0
        check(page)
        page.get_by_label("Vrijwilliger", exact=True).select_option(str(personas.volunteer.pk))
        page.get_by_role("button", name="Koppelen").click()
        expect(page.get_by_role("alert").get_by_text("Er is geen toestemming")).to_be_visible()
        check(page)

        # The worker records the consent (purpose and name as the page asks); match again.
        consent_for(person, personas.volunteer, personas.worker)
        page.get_by_role("button", name="Koppelen").click()
        expect(page.get_by_text("Gekoppeld.")).to_be_visible()
        assert page.get_by_role("heading", name="Lopende koppelingen").is_visible()
        assert page.get_by_text("Gemiddelde tijd van vraag tot koppeling").is_visible()
        check(page)
    vrequest.refresh_from_db()
    assert vrequest.status == VolunteerRequest.Status.MATCHED

    # The volunteer sees the request, with only what was agreed, and records a visit.
    with phone_as(browser, live_server, "vrijwilliger") as page:
        page.get_by_role("link", name="Fatma · Maatje").click()
        check(page)
        body = page.content()
        assert "Samen boodschappen doen" in body
        assert person.phone in body
        assert person.surname not in body
        assert household.address.street not in body
        page.get_by_label("Hoeveel minuten").fill("60")
        page.get_by_label("In één zin").fill("Samen naar de markt.")
        page.get_by_role("button", name="Bezoek opslaan").click()
        expect(page.get_by_text("Bezoek opgeslagen. Dank u wel!")).to_be_visible()
        assert page.get_by_text("Samen naar de markt.").is_visible()
        check(page)
    assert Visit.objects.get().minutes == 60
