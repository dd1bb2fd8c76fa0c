"""The neighbourhood report in the browser: the policy advisor opens it on a phone; the
page passes the accessibility scan, hides small figures and does not scroll sideways (the
wide tables scroll inside their own region)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from buurtkracht.core.models import Team
from buurtkracht.outcomes.stories import story_write
from tests.conftest import Personas
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_casework import no_sideways_scroll
from tests.factories import PASSWORD
from tests.outcomes.helpers import shipped_instruments_load
from tests.outcomes.test_report import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_advisor_reads_the_report_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    shipped_instruments_load()
    world = make_world(personas)
    story_write(
        author=personas.worker,
        title="Koffieochtend in de Lindenbuurt",
        text="Twintig buren aan tafel.",
        team=Team.objects.get(name="Team Oost"),
        neighbourhood=world.area,
    )
    login(phone_page, live_server, "beleid", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/huishoudens/rapportage/")
    assert phone_page.locator("table").count() == 8
    reach = phone_page.locator("#reach-table")
    # Two early signals in Lindenbuurt, published rounded to base 5.
    assert reach.locator("tbody tr").first.locator("td").first.inner_text() == "0"
    assert phone_page.get_by_role("heading", name="Koffieochtend in de Lindenbuurt").is_visible()
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)

    # The PDF behind the link: the same tables, charts and stories.
    with phone_page.expect_download() as download_info:
        phone_page.get_by_role("link", name="Exporteren als pdf met grafieken").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = " ".join(page.extract_text() for page in PdfReader(download.path()).pages)
    assert "Bereikte huishoudens per buurt" in text
    assert "Koffieochtend in de Lindenbuurt" in text


def test_worker_writes_a_story_on_a_phone(
    phone_page: Any, live_server: Any, personas: Personas
) -> None:
    personas.make_worker_lead()
    login(phone_page, live_server, "wijkwerker", PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.get_by_role("link", name="Verhalen").first.click()
    phone_page.get_by_label("Titel").fill("Buurtbarbecue")
    phone_page.get_by_label("Verhaal", exact=True).fill(
        "Veel nieuwe gezichten, en twee vragen om hulp."
    )
    phone_page.get_by_role("button", name="Verhaal opslaan").click()
    expect(phone_page.get_by_role("heading", name="Buurtbarbecue")).to_be_visible()
    assert_accessible(phone_page)
    assert no_sideways_scroll(phone_page)

    # A story from a household's file, about the resident: not in reports without consent.
    phone_page.goto(f"{live_server.url}/huishoudens/{personas.household.pk}/verhaal/nieuw/")
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Verhaal opslaan").click()
    expect(phone_page.get_by_text("Geef het verhaal een korte titel.").first).to_be_visible()
    assert_accessible(phone_page)
    phone_page.get_by_label("Titel").fill("Eerste stap")
    phone_page.get_by_label("Verhaal", exact=True).fill("Ze belde zelf de corporatie.")
    phone_page.get_by_role("button", name="Verhaal opslaan").click()
    phone_page.wait_for_url(f"**/huishoudens/{personas.household.pk}/voortgang/")
    assert phone_page.get_by_role("heading", name="Eerste stap").is_visible()
    assert_accessible(phone_page)
