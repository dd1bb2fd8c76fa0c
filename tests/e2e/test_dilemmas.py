"""The dilemma log on a phone: the team leader writes a dilemma (a postcode in it is
refused first, with how to write it instead), plans a reflection meeting for today, puts
the dilemma on its agenda, records what the team learnt and closes it, and opens the
themes over time. Every page passes the accessibility scan."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buurtkracht.dilemmas.models import Dilemma
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Wens van de bewoner of belang van de buren"


def test_a_dilemma_from_the_log_to_the_themes(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    page = phone_page
    login(page, live_server, "teamleider", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/dilemmas/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dilemmalogboek")
    assert_accessible(page)

    page.get_by_role("link", name="Dilemma schrijven").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dilemma schrijven")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Het dilemma").fill(
        "De bewoner op 1234 AB wil haar honden houden, de buren klagen over lawaai."
    )
    page.get_by_label("Wens van de bewoner", exact=True).check()
    page.get_by_label("Belang van derden", exact=True).check()
    page.get_by_role("button", name="Dilemma opslaan").click()
    expect(page.locator("#error-summary")).to_contain_text("postcode")
    expect(page.get_by_label("Titel")).to_have_value(TITLE)
    assert_accessible(page)
    page.get_by_label("Het dilemma").fill(
        "De bewoner wil haar honden houden, de buren klagen over lawaai."
    )
    page.get_by_role("button", name="Dilemma opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("main")).to_contain_text("Nog niet besproken.")
    assert_accessible(page)

    page.get_by_role("link", name="Intervisie plannen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Intervisie")
    page.get_by_label("Dag").fill(timezone.localdate().strftime("%d-%m-%Y"))
    page.get_by_label("Tijd").fill("14:00")
    page.get_by_label("Begeleider").fill("Ilse (coach)")
    page.get_by_role("button", name="Bijeenkomst plannen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Intervisiebijeenkomst")
    assert_accessible(page)
    page.get_by_label("Dilemma", exact=True).select_option(label=TITLE)
    page.get_by_role("button", name="Op de agenda zetten").click()
    expect(page.get_by_role("status").first).to_contain_text("staat op de agenda")
    assert_accessible(page)

    page.get_by_role("link", name=f"Leg vast wat jullie leerden over ‘{TITLE}’").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wat we leerden")
    page.get_by_label("Wat we leerden").fill("Eerst samen met de buren om tafel.")
    page.get_by_label("afgesloten").check()
    page.get_by_role("button", name="Opslaan wat we leerden").click()
    expect(page.locator("main")).to_contain_text("Eerst samen met de buren om tafel.")
    assert_accessible(page)
    assert Dilemma.objects.get(title=TITLE).status == Dilemma.Status.CLOSED

    page.goto(f"{live_server.url}/dilemmas/themas/")
    expect(page.get_by_role("table").first).to_contain_text("Wens van de bewoner")
    assert_accessible(page)
