"""Planning an appointment on a phone (issue 18, item 5), with the accessibility scan:
a refused end time is said at the top and kept, the appointment lands on the file and on
Mijn werk, and the calendar page gives an address once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.casework.models import Appointment
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Any) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def test_planning_an_appointment_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/")
    phone_page.get_by_role("link", name="Plan een afspraak").click()
    expect(phone_page.get_by_role("heading", name="Plan een afspraak")).to_be_visible()
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)

    # An end before the start: refused, said at the top, and what was typed stays.
    phone_page.get_by_label("Huisbezoek").check()
    phone_page.get_by_label("Dag", exact=True).fill(tomorrow.strftime("%d-%m-%Y"))
    phone_page.locator("#id_start").fill("14:00")
    phone_page.locator("#id_end").fill("13:00")
    phone_page.get_by_label("Ook aanwezig").fill("zus Els")
    phone_page.get_by_role("button", name="Afspraak plannen").click()
    expect(phone_page.locator("#error-summary")).to_contain_text("Het einde ligt voor het begin")
    expect(phone_page.get_by_label("Ook aanwezig")).to_have_value("zus Els")
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)

    phone_page.locator("#id_end").fill("15:00")
    phone_page.get_by_role("button", name="Afspraak plannen").click()
    expect(phone_page.get_by_role("status").first).to_contain_text("Afspraak gepland")
    expect(phone_page.locator("#appointments-heading")).to_be_visible()
    expect(phone_page.locator("body")).to_contain_text("zus Els")
    assert_accessible(phone_page)
    appointment = Appointment.objects.get()
    assert timezone.localtime(appointment.starts_at).hour == 14

    # Mijn werk reminds: tomorrow at two.
    phone_page.goto(f"{live_server.url}/")
    expect(phone_page.get_by_role("heading", name="Vandaag en morgen")).to_be_visible()
    expect(phone_page.locator("body")).to_contain_text("Morgen 14:00–15:00")
    phone_page.get_by_role("link", name="Uw afspraken in de agenda van uw telefoon").click()
    expect(phone_page.get_by_role("heading", name="Mijn agenda op mijn telefoon")).to_be_visible()
    phone_page.get_by_role("button", name="Maak mijn agenda-adres").click()
    expect(phone_page.get_by_label("Agenda-adres")).to_be_visible()
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)
    address = phone_page.get_by_label("Agenda-adres").input_value()
    assert address.startswith(f"{live_server.url}/agenda/") and address.endswith(".ics")
